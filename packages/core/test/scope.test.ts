import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeScope, parseScope } from '../src/index.js';

describe('parseScope', () => {
  it('splits on spaces, keeps case and order, drops empty entries', () => {
    expect(parseScope(' openid  read:appointments Read:Appointments ')).toEqual([
      'openid',
      'read:appointments',
      'Read:Appointments',
    ]);
  });

  it('reads anything but a string as no scope', () => {
    for (const value of [undefined, null, 3, ['openid'], { scope: 'openid' }]) {
      expect(parseScope(value)).toEqual([]);
    }
  });

  it('gives non-empty, space-free tokens that join back to the normalized scope (any input)', () => {
    fc.assert(
      fc.property(fc.string(), (scope) => {
        const tokens = parseScope(scope);
        for (const token of tokens) expect(token).toMatch(/^[^ ]+$/);
        expect(normalizeScope(tokens.join(' '))).toBe(normalizeScope(scope));
      }),
    );
  });
});
