import { describe, expect, it } from 'vitest';
import { createCodeVerifier, deriveCodeChallenge } from '../src/pkce.js';
import { resolveStorage } from '../src/storage.js';

// A bad argument is the caller's bug: a TypeError whose message says what is wrong.
describe('bad arguments', () => {
  it('to createCodeVerifier name the allowed lengths', () => {
    expect(() => createCodeVerifier(42)).toThrow(new TypeError('length must be 43..128'));
    expect(() => createCodeVerifier(129)).toThrow(new TypeError('length must be 43..128'));
  });

  it('to deriveCodeChallenge say the verifier is invalid', async () => {
    await expect(deriveCodeChallenge('too-short')).rejects.toThrow(new TypeError('invalid code verifier'));
    await expect(deriveCodeChallenge(`${'a'.repeat(43)} `)).rejects.toThrow(TypeError);
  });

  it('to resolveStorage name the unknown storage', () => {
    expect(() => resolveStorage('cookie' as never)).toThrow(new TypeError('unknown storage "cookie"'));
  });
});
