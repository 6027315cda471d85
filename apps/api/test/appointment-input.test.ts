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

  // Date.parse rolls these over (to 2030-03-02, 2030-05-01, the next day...) instead of refusing them.
  it.each([
    '2030-02-30T10:00:00Z',
    '2030-02-29T10:00Z',
    '2030-04-31T10:00:00Z',
    '2030-01-01T24:00:00Z',
    '2030-01-01T24:00+02:00',
    '2030-01-01T23:60:00Z',
    '2030-01-01T23:59:60Z',
    '2030-00-10T10:00:00Z',
    '2030-01-00T10:00:00Z',
    '2030-01-01T10:00:00+24:00',
    '2030-01-01T10:00:00-01:60',
  ])('refuses %s, a date-time that does not exist, as a field error', (startsAt) => {
    expect(parseAppointmentInput({ title: 't', startsAt })).toEqual({
      ok: false,
      fields: {
        startsAt: 'Not a date and time that exists (month 01-12, day of that month, time up to 23:59:59)',
      },
    });
  });

  it.each([
    ['2028-02-29T10:00Z', '2028-02-29T10:00:00.000Z'],
    ['2030-12-31T23:59:59.999Z', '2030-12-31T23:59:59.999Z'],
    ['2030-01-01T00:30:00+01:00', '2029-12-31T23:30:00.000Z'],
    ['2030-01-01T23:30-23:59', '2030-01-02T23:29:00.000Z'],
  ])('accepts %s, a real one, as the instant it names', (startsAt, stored) => {
    expect(parseAppointmentInput({ title: 't', startsAt })).toEqual({
      ok: true,
      value: { title: 't', startsAt: stored },
    });
  });

  it('accepts every real date-time, written as toISOString writes it, unchanged', () => {
    const years = {
      min: new Date('1000-01-01T00:00:00Z'),
      max: new Date('9999-12-31T23:59:59Z'),
      noInvalidDate: true,
    };
    fc.assert(
      fc.property(fc.date(years), (date) => {
        const startsAt = date.toISOString();
        expect(parseAppointmentInput({ title: 't', startsAt })).toEqual({
          ok: true,
          value: { title: 't', startsAt },
        });
      }),
      { numRuns: 500 },
    );
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
