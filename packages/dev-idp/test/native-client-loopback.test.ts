import { describe, expect, it } from 'vitest';
import { DEFAULT_AUDIENCE, DEFAULT_CLI_CLIENT_ID, DEFAULT_CLIENT_ID, signIn } from '../src/index.js';
import { ALICE, authorizeUrl, devIdpForFile, pkcePair, tokenRequest } from './support.js';

const started = devIdpForFile();

/** The CLI's request (RFC 8252): loopback redirect on the port it happens to listen on. */
function cliRequest(redirectUri: string, clientId = DEFAULT_CLI_CLIENT_ID) {
  const { verifier, challenge } = pkcePair();
  const url = authorizeUrl(started.discovery, challenge, { client_id: clientId, redirect_uri: redirectUri });
  return { url, verifier };
}

describe('the grantflow-cli native client (RFC 8252)', () => {
  it.each([
    'http://127.0.0.1:49152/callback',
    'http://127.0.0.1:61999/callback',
    'http://[::1]:50001/callback',
  ])('accepts the loopback redirect %s on any port, and exchanges its code', async (redirectUri) => {
    const { url, verifier } = cliRequest(redirectUri);
    const redirect = await signIn(url, ALICE);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(redirectUri);
    const code = redirect.searchParams.get('code') ?? '';
    const { status, body } = await tokenRequest(started.discovery, {
      client_id: DEFAULT_CLI_CLIENT_ID,
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: redirectUri,
    });
    expect(status).toBe(200);
    expect(body.refresh_token).toEqual(expect.any(String));
    const payload = JSON.parse(Buffer.from(body.access_token!.split('.')[1]!, 'base64url').toString());
    expect(payload).toMatchObject({ aud: DEFAULT_AUDIENCE, client_id: DEFAULT_CLI_CLIENT_ID });
  });

  it('sends a denial on the consent page back to the loopback as access_denied', async () => {
    const redirectUri = 'http://127.0.0.1:49153/callback';
    const { url } = cliRequest(redirectUri);
    const denied = await signIn(url, ALICE, { consent: 'deny' });
    expect(`${denied.origin}${denied.pathname}`).toBe(redirectUri);
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('state')).toBe(url.searchParams.get('state'));
    expect(denied.searchParams.get('code')).toBeNull();
  });

  it.each([
    ['localhost (RFC 8252 §8.3)', 'http://localhost:49152/callback', DEFAULT_CLI_CLIENT_ID],
    ['another path', 'http://127.0.0.1:49152/other', DEFAULT_CLI_CLIENT_ID],
    ['a loopback port for the web client', 'http://127.0.0.1:49152/callback', DEFAULT_CLIENT_ID],
  ])('refuses %s', async (_what, redirectUri, clientId) => {
    const response = await fetch(cliRequest(redirectUri, clientId).url, { redirect: 'manual' });
    // An unregistered redirect URI is never redirected to: the IdP shows its error page instead.
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('redirect_uri');
  });
});
