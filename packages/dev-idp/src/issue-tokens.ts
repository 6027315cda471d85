import { createHash, randomBytes } from 'node:crypto';
import { DEFAULT_AUDIENCE, DEFAULT_CLIENT } from './defaults.js';
import { DevIdpError } from './errors.js';
import { signIn, type SignInCredentials } from './sign-in.js';

export interface IssueTokensOptions {
  /** Default: the appointments API. */
  audience?: string;
  /** Default: `openid profile email offline_access` and every appointments scope (the user's permissions cap it). */
  scope?: string;
  /** Default: the `grantflow-demo` client and its first redirect URI (nothing needs to listen there). */
  clientId?: string;
  redirectUri?: string;
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
  }: IssueTokensOptions = {},
): Promise<IssuedTokens> {
  const metadata = (await (
    await fetch(new URL('.well-known/openid-configuration', issuer.replace(/\/?$/, '/')))
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
  const response = await fetch(metadata.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: clientId,
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  });
  const body = (await response.json()) as Partial<IssuedTokens> & { error?: string };
  if (!response.ok || typeof body.access_token !== 'string') {
    throw new DevIdpError('sign_in_failed', `token exchange failed: ${body.error ?? response.status}`);
  }
  return body as IssuedTokens;
}
