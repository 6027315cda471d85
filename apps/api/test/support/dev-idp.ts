import { createHash, randomBytes } from 'node:crypto';
import { DEFAULT_AUDIENCE, DEFAULT_CLIENT_ID, signIn, startDevIdp, type DevIdp } from '@grantflow/dev-idp';

export const REDIRECT_URI = 'http://127.0.0.1/callback';

export function startTestDevIdp(): Promise<DevIdp> {
  return startDevIdp({ port: 0, quiet: true, redirectUris: [REDIRECT_URI] });
}

/** Logs in through the dev IdP's real forms (authorization code + PKCE) and returns the access token. */
export async function loginAccessToken(
  idp: DevIdp,
  credentials: { email: string; password: string },
  scope = 'openid read:appointments write:appointments admin:appointments',
): Promise<string> {
  const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as {
    authorization_endpoint: string;
    token_endpoint: string;
  };
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(discovery.authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id: DEFAULT_CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope,
    audience: DEFAULT_AUDIENCE,
    state: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const callback = await signIn(authorize, credentials);
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`login failed: ${callback.searchParams.get('error') ?? callback.href}`);
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: DEFAULT_CLIENT_ID,
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    }),
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  if (!body.access_token) throw new Error(`token exchange failed: ${body.error ?? response.status}`);
  return body.access_token;
}
