import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUDIENCE, DEFAULT_CLIENT_ID, issueTokens } from '../src/index.js';
import { ALICE, devIdpForFile, tokenRequest } from './support.js';

const BILLING = 'https://billing.example.test/';
const started = devIdpForFile({
  apis: {
    [DEFAULT_AUDIENCE]: { scopes: ['read:appointments'] },
    [BILLING]: { scopes: ['read:billing'] },
  },
  users: [{ sub: 'alice', ...ALICE, name: 'Alice', permissions: ['read:appointments', 'read:billing'] }],
});

/** Tokens for the appointments API, with a refresh token. */
const appointmentTokens = () =>
  issueTokens(started.idp.issuer, ALICE, {
    audience: DEFAULT_AUDIENCE,
    scope: 'openid offline_access read:appointments',
  });

const refresh = async (params: Record<string, string>) =>
  tokenRequest(started.discovery, {
    grant_type: 'refresh_token',
    refresh_token: (await appointmentTokens()).refresh_token!,
    ...params,
  });

describe('`audience` at the token endpoint names the API, as `resource` does (RFC 8707)', () => {
  it('refuses a refresh for another API named by audience with invalid_target, as by resource', async () => {
    for (const param of ['audience', 'resource']) {
      const { status, body } = await refresh({ [param]: BILLING });
      expect({ param, status, error: body.error }).toEqual({ param, status: 400, error: 'invalid_target' });
    }
  });

  it('refreshes for the granted API named by audience', async () => {
    const { status, body } = await refresh({ audience: DEFAULT_AUDIENCE });
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token!).aud).toBe(DEFAULT_AUDIENCE);
  });

  it('reads audience in a JSON body too (auth0-spa-js)', async () => {
    const response = await fetch(started.discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        grant_type: 'refresh_token',
        client_id: DEFAULT_CLIENT_ID,
        refresh_token: (await appointmentTokens()).refresh_token,
        audience: BILLING,
      }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error?: string }).error).toBe('invalid_target');
  });

  it('lets resource win when both are sent, as at the authorization endpoint', async () => {
    const { status, body } = await refresh({ resource: DEFAULT_AUDIENCE, audience: BILLING });
    expect(status).toBe(200);
    expect(decodeJwt(body.access_token!).aud).toBe(DEFAULT_AUDIENCE);
  });
});
