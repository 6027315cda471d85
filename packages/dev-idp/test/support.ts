import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { exportJWK, SignJWT, type CryptoKey } from 'jose';
import { afterAll, beforeAll } from 'vitest';
import {
  DEFAULT_AUDIENCE,
  DEFAULT_CLIENT_ID,
  signIn,
  startDevIdp,
  type DevIdp,
  type DevIdpOptions,
} from '../src/index.js';

export const REDIRECT_URI = 'https://app.example.test/callback';
export const APP_ORIGIN = 'https://app.example.test';

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  userinfo_endpoint: string;
  revocation_endpoint: string;
  end_session_endpoint: string;
  code_challenge_methods_supported: string[];
}

export async function discover(issuer: string): Promise<Discovery> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`discovery failed: ${response.status}`);
  return (await response.json()) as Discovery;
}

/** An Auth0-style SPA authorization request; `extra` overrides or removes (undefined) parameters. */
export function authorizeUrl(
  discovery: Discovery,
  challenge: string,
  extra: Record<string, string | undefined> = {},
): URL {
  const url = new URL(discovery.authorization_endpoint);
  const params: Record<string, string | undefined> = {
    client_id: DEFAULT_CLIENT_ID,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email offline_access read:appointments write:appointments',
    audience: DEFAULT_AUDIENCE,
    state: randomBytes(16).toString('base64url'),
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  };
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  return url;
}

export interface TokenResponse {
  access_token?: string;
  id_token?: string;
  refresh_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

export async function tokenRequest(
  discovery: Discovery,
  params: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: TokenResponse; nonce: string | null }> {
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, ...params }),
  });
  const nonce = response.headers.get('dpop-nonce');
  return { status: response.status, body: (await response.json()) as TokenResponse, nonce };
}

export async function exchangeCode(discovery: Discovery, code: string, verifier: string) {
  return tokenRequest(discovery, {
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    redirect_uri: REDIRECT_URI,
  });
}

export const ALICE = { email: 'alice@example.com', password: 'alice-password' };
export const BOB = { email: 'bob@example.com', password: 'bob-password' };

/** Signs in through the real pages with signIn and exchanges the code: the usual way to get tokens. */
export async function signInForTokens(
  discovery: Discovery,
  credentials: { email: string; password: string },
  extra: Record<string, string | undefined> = {},
) {
  const { verifier, challenge } = pkcePair();
  const redirect = await signIn(authorizeUrl(discovery, challenge, extra), credentials);
  return exchangeCode(discovery, redirect.searchParams.get('code') ?? '', verifier);
}

export type DpopKey = { privateKey: CryptoKey; publicKey: CryptoKey };

export interface ProofRequest {
  htm: string;
  htu: string;
  /** Adds `ath`, the proof for a request that carries this access token (RFC 9449 §4.2). */
  accessToken?: string;
  nonce?: string;
  /** Default ES256. */
  alg?: string;
}

/** A DPoP proof JWT (RFC 9449 §4.2) signed by `key`. */
export async function dpopProof(key: DpopKey, request: ProofRequest): Promise<string> {
  const { htm, htu, accessToken, nonce, alg = 'ES256' } = request;
  const ath =
    accessToken === undefined ? {} : { ath: createHash('sha256').update(accessToken).digest('base64url') };
  return new SignJWT({ htm, htu, jti: randomUUID(), ...ath, ...(nonce === undefined ? {} : { nonce }) })
    .setProtectedHeader({ alg, typ: 'dpop+jwt', jwk: await exportJWK(key.publicKey) })
    .setIssuedAt()
    .sign(key.privateKey);
}

/**
 * signInForTokens with a DPoP proof by `key` at the code exchange, so the tokens are bound to it;
 * a server that asks for a nonce (RFC 9449 §8) gets one retry with it.
 */
export async function signInForBoundTokens(
  discovery: Discovery,
  key: DpopKey,
  { alg, ...extra }: Record<string, string | undefined> = {},
) {
  const { verifier, challenge } = pkcePair();
  const redirect = await signIn(authorizeUrl(discovery, challenge, extra), ALICE);
  const params = {
    grant_type: 'authorization_code',
    code: redirect.searchParams.get('code') ?? '',
    code_verifier: verifier,
    redirect_uri: REDIRECT_URI,
  };
  const exchange = async (nonce?: string) =>
    tokenRequest(discovery, params, {
      dpop: await dpopProof(key, { htm: 'POST', htu: discovery.token_endpoint, nonce, alg }),
    });
  const first = await exchange();
  return first.body.error === 'use_dpop_nonce' ? exchange(first.nonce ?? undefined) : first;
}

/** One dev IdP for the whole file, on a free port; read `idp`/`discovery` inside tests only. */
export function devIdpForFile(options: DevIdpOptions = {}): {
  readonly idp: DevIdp;
  readonly discovery: Discovery;
} {
  let idp: DevIdp | undefined;
  let discovery: Discovery | undefined;
  beforeAll(async () => {
    idp = await startDevIdp({ port: 0, quiet: true, ...options });
    discovery = await discover(idp.issuer);
  });
  afterAll(async () => {
    await idp?.close();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the dev IdP is not started yet');
    return value;
  };
  return {
    get idp() {
      return started(idp);
    },
    get discovery() {
      return started(discovery);
    },
  };
}
