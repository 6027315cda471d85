import { createHash, randomUUID } from 'node:crypto';
import { startTestIssuer, type TestIssuer } from './issuer.js';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

export interface DpopKey {
  /** The proof's `alg`. */
  alg: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  jwk: JWK;
  jkt: string;
}

/** `EdDSA` and `Ed25519` both make an Ed25519 key, signing under that `alg` name. */
export async function dpopKey(alg: 'ES256' | 'RS256' | 'EdDSA' | 'Ed25519' = 'ES256'): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const jwk = await exportJWK(publicKey);
  return { alg, privateKey, publicKey, jwk, jkt: await calculateJwkThumbprint(jwk) };
}

export interface ProofOptions {
  htm?: string;
  htu: string;
  accessToken?: string;
  nonce?: string;
  iat?: number;
  jti?: string;
  /** Header overrides (`typ`, `alg`, `jwk`); `undefined` removes one. */
  header?: Record<string, unknown>;
  /** Further claims (`exp`, `nbf`, ...). */
  claims?: Record<string, unknown>;
  /** Claims to drop. */
  omit?: string[];
  /** Signs with this key instead (the header still names `key`'s public key). */
  signWith?: CryptoKey;
}

export const ath = (token: string): string => createHash('sha256').update(token).digest('base64url');

/** An RFC 9449 §4.2 proof, or a deliberately broken one. */
export async function makeProof(key: DpopKey, options: ProofOptions): Promise<string> {
  const claims: Record<string, unknown> = {
    htm: options.htm ?? 'GET',
    htu: options.htu,
    iat: options.iat ?? Math.floor(Date.now() / 1000),
    jti: options.jti ?? randomUUID(),
    ...(options.accessToken === undefined ? {} : { ath: ath(options.accessToken) }),
    ...(options.nonce === undefined ? {} : { nonce: options.nonce }),
    ...options.claims,
  };
  for (const name of options.omit ?? []) delete claims[name];
  const header: Record<string, unknown> = {
    alg: key.alg,
    typ: 'dpop+jwt',
    jwk: key.jwk,
  };
  for (const [name, value] of Object.entries(options.header ?? {})) {
    if (value === undefined) delete header[name];
    else header[name] = value;
  }
  return new SignJWT(claims)
    .setProtectedHeader(header as { alg: string })
    .sign(options.signWith ?? key.privateKey);
}

/** A test issuer, a DPoP key, and an access token the issuer bound to that key (`cnf.jkt`). */
export async function startBindingIssuer(): Promise<{ issuer: TestIssuer; key: DpopKey; token: string }> {
  const issuer = await startTestIssuer();
  const key = await dpopKey();
  return { issuer, key, token: await issuer.sign({ cnf: { jkt: key.jkt } }) };
}
