import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeScopes, normalizeScope, parseScope } from '../src/index.js';

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

describe('mergeScopes', () => {
  it('joins the parts in their order, each scope once where it first appears', () => {
    expect(mergeScopes('openid profile email', 'read:b read:a', undefined, 'offline_access')).toBe(
      'openid profile email read:b read:a offline_access',
    );
    expect(mergeScopes(' b  a b', ['a', 'c b'], 'c')).toBe('b a c');
    expect(mergeScopes()).toBe('');
  });

  it('names the same set as all the parts together, and changes nothing already merged (any input)', () => {
    const part = fc.oneof(fc.string(), fc.array(fc.string()), fc.constant(undefined));
    fc.assert(
      fc.property(fc.array(part), (parts) => {
        const merged = mergeScopes(...parts);
        const all = parts.flat().filter((scope) => scope !== undefined);
        expect(normalizeScope(merged)).toBe(normalizeScope(all.join(' ')));
        expect(new Set(parseScope(merged)).size).toBe(parseScope(merged).length);
        expect(mergeScopes(merged)).toBe(merged);
      }),
    );
  });
});
