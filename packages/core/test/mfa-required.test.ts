import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MfaRequiredError, OAuthError } from '../src/index.js';
import { processTokenResponse } from '../src/token-endpoint.js';
import { OFFLINE_ISSUER, offlineClient } from './support.js';

const TOKEN = `${OFFLINE_ISSUER}token`;

/** Auth0's answer to a token request that needs a second factor first. */
const MFA_REQUIRED = {
  error: 'mfa_required',
  error_description: 'Multifactor authentication required',
  mfa_token: 'Fe26.2**mfa-token',
  mfa_requirements: { challenge: [{ type: 'otp' }] },
};

const tokens = (access_token: string, refresh_token?: string) =>
  Response.json({ access_token, token_type: 'Bearer', expires_in: 600, refresh_token });

/** Signed in at page load (refresh token `rt1` stored, rotated to `rt2`); later token answers come from `answers`. */
async function signedIn(answers: Response[]) {
  const refreshTokensSent: (string | null)[] = [];
  const queue = [tokens('at1', 'rt2'), ...answers];
  const { client } = offlineClient(
    { claims: {}, refresh_tokens: { '': 'rt1' } },
    () => Promise.reject(new TypeError()),
    {
      useRefreshTokens: true,
      fetch: async (url, init) => {
        if (url !== TOKEN) throw new TypeError(`unexpected request to ${url}`);
        refreshTokensSent.push(new URLSearchParams(init.body as URLSearchParams).get('refresh_token'));
        return queue.shift()!;
      },
    },
  );
  await client.checkSession();
  expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
  return { client, refreshTokensSent };
}

describe("a refresh answered with Auth0's mfa_required", () => {
  it('rejects with MfaRequiredError carrying mfa_token and mfa_requirements; the session and refresh token stay', async () => {
    const { client, refreshTokensSent } = await signedIn([
      Response.json(MFA_REQUIRED, { status: 403 }),
      tokens('at2', 'rt3'),
    ]);
    const refused = client.getAccessToken({ cacheMode: 'off' });
    await expect(refused).rejects.toBeInstanceOf(MfaRequiredError);
    const error = (await refused.catch((e: unknown) => e)) as MfaRequiredError;
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({
      code: 'mfa_required',
      name: 'MfaRequiredError',
      status: 403,
      error: 'mfa_required',
      error_description: 'Multifactor authentication required',
      message: 'Multifactor authentication required',
      mfa_token: 'Fe26.2**mfa-token',
      mfa_requirements: { challenge: [{ type: 'otp' }] },
    });
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', isAuthenticated: true, error });

    await expect(client.getAccessToken({ cacheMode: 'off' })).resolves.toBe('at2');
    expect(refreshTokensSent).toEqual(['rt1', 'rt2', 'rt2']);
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
    client.destroy();
  });
});

describe('mfa_required fields from the server (property)', () => {
  const refusal = (mfa_token: unknown, mfa_requirements: unknown): MfaRequiredError => {
    try {
      processTokenResponse(403, { error: 'mfa_required', mfa_token, mfa_requirements });
    } catch (error) {
      expect(error).toBeInstanceOf(MfaRequiredError);
      return error as MfaRequiredError;
    }
    throw new Error('an mfa_required answer was taken for tokens');
  };
  const factors = fc.array(fc.record({ type: fc.string() }));
  const wellFormed = fc.record({ enroll: factors, challenge: factors }, { requiredKeys: [] });
  const odd = fc.oneof(
    fc.jsonValue(),
    fc.record({ enroll: fc.jsonValue(), challenge: fc.array(fc.jsonValue()) }, { requiredKeys: [] }),
  );
  const isFactorList = (value: unknown) =>
    Array.isArray(value) &&
    value.every((entry) => Object.keys(entry).join() === 'type' && typeof entry.type === 'string');

  it('keeps well-typed mfa_token and mfa_requirements as sent', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), wellFormed, (token, requirements) => {
        expect(refusal(token, requirements)).toMatchObject({
          code: 'mfa_required',
          status: 403,
          mfa_token: token,
          mfa_requirements: requirements,
        });
      }),
    );
  });

  it('whatever else they are, gives MfaRequiredError with a string token or none and only typed factors', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue()), odd, (token, requirements) => {
        const error = refusal(token, requirements);
        expect(error).toMatchObject({ code: 'mfa_required', status: 403, error: 'mfa_required' });
        expect(error.mfa_token).toBe(typeof token === 'string' && token !== '' ? token : undefined);
        const kept: unknown = error.mfa_requirements;
        if (kept === undefined) return;
        expect(Object.keys(kept as object).every((name) => name === 'enroll' || name === 'challenge')).toBe(
          true,
        );
        for (const list of Object.values(kept as object)) expect(isFactorList(list)).toBe(true);
      }),
    );
  });
});
