import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partitionByPermissions, requestedAudience } from '../src/scopes.js';

describe('partitionByPermissions', () => {
  it('grants the requested scopes the user holds and rejects the rest', () => {
    expect(
      partitionByPermissions(['read:appointments', 'write:appointments'], ['read:appointments', 'admin:x']),
    ).toEqual({ granted: ['read:appointments'], rejected: ['write:appointments'] });
  });

  it('is the intersection and difference of the two sets, with each scope once', () => {
    const scope = fc.constantFrom('read', 'write', 'admin', 'delete', 'openid');
    fc.assert(
      fc.property(fc.array(scope), fc.array(scope), (requested, permissions) => {
        const { granted, rejected } = partitionByPermissions(requested, permissions);
        expect(new Set(granted)).toEqual(new Set(requested.filter((s) => permissions.includes(s))));
        expect(new Set(rejected)).toEqual(new Set(requested.filter((s) => !permissions.includes(s))));
        expect(new Set([...granted, ...rejected]).size).toBe(granted.length + rejected.length);
      }),
    );
  });
});

describe('requestedAudience', () => {
  it('uses Auth0’s audience when no resource is given', () => {
    expect(requestedAudience({ audience: 'https://api.example.test' })).toBe('https://api.example.test');
  });

  it('leaves the choice to resource when both are sent', () => {
    expect(
      requestedAudience({ audience: 'https://a.example.test', resource: 'https://b.example.test' }),
    ).toBe(undefined);
  });

  it.each([{}, { audience: '' }, { audience: ['https://api.example.test'] }])('ignores %j', (params) => {
    expect(requestedAudience(params)).toBeUndefined();
  });
});
