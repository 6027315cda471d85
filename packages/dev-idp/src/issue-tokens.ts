import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, SignJWT, type CryptoKey } from 'jose';
import { DEFAULT_AUDIENCE, DEFAULT_CLIENT } from './defaults.js';
import { DevIdpError } from './errors.js';
import { beneathIssuer } from './mount-path.js';
import { signIn, type SignInCredentials } from './sign-in.js';

export interface IssueTokensOptions {
  /** Default: the appointments API. */
  audience?: string;
  /** Default: `openid profile email offline_access` and every appointments scope (the user's permissions cap it). */
  scope?: string;
  /** Default: the `grantflow-demo` client and its first redirect URI (nothing needs to listen there). */
  clientId?: string;
  redirectUri?: string;
  /** An ES256 key pair: the code exchange carries a DPoP proof (RFC 9449), so the tokens are bound to it. */
  dpop?: { privateKey: CryptoKey; publicKey: CryptoKey };
}

/** What the token endpoint answered, as RFC 6749 §5.1 names it. */
export interface IssuedTokens {
  access_token: string;
  token_type: string;
  expires_in?: number;
  scope?: string;
  id_token?: string;
  refresh_token?: string;
}

const DEFAULT_SCOPE =
  'openid profile email offline_access read:appointments write:appointments admin:appointments';

/**
 * Test helper: a whole Authorization Code + PKCE login at a running dev IdP (discovery, the real login and
 * consent forms, the code exchange), for tests that need real tokens and are not about the flow itself.
 */
export async function issueTokens(
  issuer: string,
  credentials: SignInCredentials,
  {
    audience = DEFAULT_AUDIENCE,
    scope = DEFAULT_SCOPE,
    clientId = DEFAULT_CLIENT.clientId,
    redirectUri = DEFAULT_CLIENT.redirectUris[0]!,
    dpop,
  }: IssueTokensOptions = {},
): Promise<IssuedTokens> {
  const metadata = (await (
    await fetch(beneathIssuer(issuer, '/.well-known/openid-configuration'))
  ).json()) as {
    authorization_endpoint: string;
    token_endpoint: string;
  };
  const verifier = randomBytes(32).toString('base64url');
  const authorize = new URL(metadata.authorization_endpoint);
  authorize.search = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope,
    audience,
    state: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  const callback = await signIn(authorize, credentials);
  const code = callback.searchParams.get('code');
  if (!code) {
    throw new DevIdpError('sign_in_failed', `no code: ${callback.searchParams.get('error') ?? 'no error'}`);
  }
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    client_id: clientId,
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
  });
  const exchange = async (nonce?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (dpop) headers.dpop = await tokenEndpointProof(dpop, metadata.token_endpoint, nonce);
    return fetch(metadata.token_endpoint, { method: 'POST', headers, body });
  };
  let response = await exchange();
  const nonce = response.headers.get('dpop-nonce');
  // RFC 9449 §8: the server asked for a nonce; one retry with it.
  if (dpop && response.status === 400 && nonce !== null) response = await exchange(nonce);
  return readTokens(response);
}

async function tokenEndpointProof(
  { privateKey, publicKey }: NonNullable<IssueTokensOptions['dpop']>,
  htu: string,
  nonce: string | undefined,
): Promise<string> {
  const { kty, crv, x, y } = await exportJWK(publicKey);
  return new SignJWT({ htm: 'POST', htu, jti: randomUUID(), ...(nonce === undefined ? {} : { nonce }) })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: { kty, crv, x, y } })
    .setIssuedAt()
    .sign(privateKey);
}

async function readTokens(response: Response): Promise<IssuedTokens> {
  const body = (await response.json()) as Partial<IssuedTokens> & { error?: string };
  if (!response.ok || typeof body.access_token !== 'string') {
    throw new DevIdpError('sign_in_failed', `token exchange failed: ${body.error ?? response.status}`);
  }
  return body as IssuedTokens;
}
