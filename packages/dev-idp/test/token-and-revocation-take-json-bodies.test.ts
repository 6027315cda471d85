import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, issueTokens } from '../src/index.js';
import { ALICE, APP_ORIGIN, devIdpForFile, tokenRequest } from './support.js';

const started = devIdpForFile({ corsOrigins: [APP_ORIGIN] });

/** A POST with a JSON body, as auth0-spa-js sends with `useFormData: false`. */
function postJson(url: string, body: unknown) {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: APP_ORIGIN },
    body: JSON.stringify(body),
  });
}

const signIn = () => issueTokens(started.idp.issuer, ALICE);

describe("Auth0's JSON bodies at /oauth/token and /oauth/revoke", () => {
  it('refreshes with a JSON body, rotating the refresh token', async () => {
    const { refresh_token } = await signIn();
    const response = await postJson(started.discovery.token_endpoint, {
      grant_type: 'refresh_token',
      client_id: DEFAULT_CLIENT_ID,
      refresh_token,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    const body = (await response.json()) as { access_token?: string; refresh_token?: string };
    expect(body.access_token).toBeTruthy();
    expect(body.refresh_token).toBeTruthy();
    expect(body.refresh_token).not.toBe(refresh_token);
  });

  it("lets a browser send JSON: the preflight allows the JSON content type from the app's origin", async () => {
    for (const endpoint of [started.discovery.token_endpoint, started.discovery.revocation_endpoint]) {
      const preflight = await fetch(endpoint, {
        method: 'OPTIONS',
        headers: {
          origin: APP_ORIGIN,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    }
  });

  it('revokes with a JSON body: the refresh token is spent', async () => {
    const { refresh_token } = await signIn();
    const response = await postJson(started.discovery.revocation_endpoint, {
      client_id: DEFAULT_CLIENT_ID,
      token: refresh_token,
    });
    expect(response.status).toBe(200);
    const refresh = await tokenRequest(started.discovery, {
      grant_type: 'refresh_token',
      refresh_token: refresh_token!,
    });
    expect(refresh.body.error).toBe('invalid_grant');
  });

  it('reads a JSON body as the same form: a client secret in it is refused as in a form', async () => {
    const { refresh_token } = await signIn();
    const response = await postJson(started.discovery.token_endpoint, {
      grant_type: 'refresh_token',
      client_id: DEFAULT_CLIENT_ID,
      client_secret: 'a-secret',
      refresh_token,
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error?: string }).error).toBe('invalid_client');
  });

  it('answers a JSON body that is not an object of strings with invalid_request', async () => {
    for (const body of [['grant_type', 'refresh_token'], { grant_type: { nested: true } }, 'refresh_token']) {
      const response = await postJson(started.discovery.token_endpoint, body);
      expect(response.status).toBe(400);
      expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
      expect(((await response.json()) as { error?: string }).error).toBe('invalid_request');
    }
    const broken = await fetch(started.discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"grant_type":',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { error?: string }).error).toBe('invalid_request');
  });
});
