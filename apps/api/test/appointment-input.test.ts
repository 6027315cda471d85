import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAppointmentInput } from '../src/appointment-input.js';

describe('appointment body validation', () => {
  it('accepts a well-formed body and normalises it', () => {
    expect(parseAppointmentInput({ title: ' Dentist ', startsAt: '2030-01-02T09:30:00+01:00' })).toEqual({
      ok: true,
      value: { title: 'Dentist', startsAt: '2030-01-02T08:30:00.000Z' },
    });
  });

  it('never throws on arbitrary JSON, and only ever returns clean input or field errors', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record(
            {
              title: fc.jsonValue(),
              startsAt: fc.oneof(
                fc.jsonValue(),
                fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
              ),
              notes: fc.jsonValue(),
            },
            { requiredKeys: [] },
          ),
        ),
        (body) => {
          const result = parseAppointmentInput(body);
          if (result.ok) {
            expect(result.value.title.trim()).toBe(result.value.title);
            expect(result.value.title.length).toBeGreaterThan(0);
            expect(Number.isNaN(Date.parse(result.value.startsAt))).toBe(false);
          } else {
            expect(Object.keys(result.fields).length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
