import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCodeVerifier, createNonce, createState, deriveCodeChallenge } from '../src/pkce.js';
import { base64url, randomString } from '../src/random.js';

const UNRESERVED = /^[A-Za-z0-9\-._~]+$/;

describe('createCodeVerifier', () => {
  it('is 43 base64url characters from 32 random bytes by default', () => {
    let requested = 0;
    const verifier = createCodeVerifier(43, (bytes) => {
      requested = bytes.length;
      return globalThis.crypto.getRandomValues(bytes);
    });
    expect(requested).toBe(32);
    expect(verifier).toHaveLength(43);
    expect(verifier).toMatch(/^[\w-]+$/);
  });

  it('differs on every call', () => {
    const verifiers = new Set(Array.from({ length: 200 }, () => createCodeVerifier()));
    expect(verifiers.size).toBe(200);
  });

  it('has the requested length, 43 to 128, in unreserved characters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 43, max: 128 }), (length) => {
        const verifier = createCodeVerifier(length);
        expect(verifier).toHaveLength(length);
        expect(verifier).toMatch(UNRESERVED);
      }),
    );
  });

  it('refuses any other length with a TypeError', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ max: 42 }), fc.integer({ min: 129 }), fc.double({ noInteger: true })),
        (length) => {
          expect(() => createCodeVerifier(length)).toThrow(TypeError);
        },
      ),
    );
  });
});

describe('deriveCodeChallenge', () => {
  it('matches RFC 7636 Appendix B', async () => {
    await expect(deriveCodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).resolves.toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('is base64url(SHA-256(verifier)) without padding for any valid verifier', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^[A-Za-z0-9\-._~]{43,128}$/), async (verifier) => {
        const challenge = await deriveCodeChallenge(verifier);
        expect(challenge).toBe(createHash('sha256').update(verifier, 'ascii').digest('base64url'));
        expect(challenge).toMatch(/^[\w-]{43}$/);
      }),
    );
  });

  it('rejects a verifier outside RFC 7636 with a TypeError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 200 }).filter((value) => !/^[A-Za-z0-9\-._~]{43,128}$/.test(value)),
        async (verifier) => {
          await expect(deriveCodeChallenge(verifier)).rejects.toThrow(TypeError);
        },
      ),
    );
  });

  it('rejects a valid verifier with one character outside RFC 7636 anywhere in it: first, last or between', async () => {
    const verifier = fc.stringMatching(/^[A-Za-z0-9\-._~]{43,127}$/);
    const outsider = fc.constantFrom(' ', '+', '/', '=', '%', '!', 'é', '\n', '\u0000');
    const place = fc.constantFrom('first', 'last', 'between');
    await fc.assert(
      fc.asyncProperty(verifier, outsider, place, fc.nat(), async (valid, bad, where, at) => {
        const index = where === 'first' ? 0 : where === 'last' ? valid.length : 1 + (at % (valid.length - 1));
        const tampered = valid.slice(0, index) + bad + valid.slice(index);
        const attempt = deriveCodeChallenge(tampered);
        await expect(attempt).rejects.toBeInstanceOf(TypeError);
        await expect(attempt).rejects.toThrow('invalid code verifier');
      }),
    );
  });

  it('rejects a verifier that is not a string, even one that reads as a valid verifier', async () => {
    const valid = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    for (const verifier of [[valid], { toString: () => valid }, undefined, 12345]) {
      await expect(deriveCodeChallenge(verifier as never)).rejects.toThrow('invalid code verifier');
    }
  });
});

describe('createState and createNonce', () => {
  it('are unguessable URL-safe strings from 32 random bytes', () => {
    for (const create of [createState, createNonce]) {
      const values = new Set(Array.from({ length: 100 }, () => create()));
      expect(values.size).toBe(100);
      for (const value of values) expect(value).toMatch(/^[\w-]{43}$/);
    }
  });

  it('use the injected randomness', () => {
    const zeros = (bytes: Uint8Array<ArrayBuffer>) => bytes.fill(0);
    expect(createState(zeros)).toBe('A'.repeat(43));
    expect(createNonce(zeros)).toBe('A'.repeat(43));
  });
});

describe('base64url and randomString', () => {
  it('encode like Node without padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      }),
    );
  });

  it('draws the requested number of bytes', () => {
    expect(randomString(3, (bytes) => bytes.fill(255))).toBe('____');
  });
});
