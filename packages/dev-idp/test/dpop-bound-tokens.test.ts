import { createHash, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, decodeJwt, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLI_CLIENT_ID, DEFAULT_CLIENT_ID, issueTokens, signIn } from '../src/index.js';
import {
  ALICE,
  authorizeUrl,
  devIdpForFile,
  pkcePair,
  REDIRECT_URI,
  type Discovery,
  type TokenResponse,
} from './support.js';

type KeyPair = { privateKey: CryptoKey; publicKey: CryptoKey };

const keyPair = (): Promise<KeyPair> => generateKeyPair('ES256');

async function proof(key: KeyPair, htu: string, nonce?: string): Promise<string> {
  return new SignJWT({ htm: 'POST', htu, jti: randomUUID(), ...(nonce ? { nonce } : {}) })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(key.publicKey) })
    .setIssuedAt()
    .sign(key.privateKey);
}

async function tokenRequest(discovery: Discovery, params: Record<string, string>, dpop?: string) {
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(dpop === undefined ? {} : { dpop }),
    },
    body: new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, ...params }),
  });
  return {
    status: response.status,
    nonce: response.headers.get('dpop-nonce'),
    body: (await response.json()) as TokenResponse,
  };
}

async function codeParams(discovery: Discovery): Promise<Record<string, string>> {
  const { verifier, challenge } = pkcePair();
  const redirect = await signIn(authorizeUrl(discovery, challenge), ALICE);
  return {
    grant_type: 'authorization_code',
    code: redirect.searchParams.get('code') ?? '',
    code_verifier: verifier,
    redirect_uri: REDIRECT_URI,
  };
}

/** A code exchange with a proof by `key`: DPoP-bound tokens. */
async function boundCodeExchange(discovery: Discovery, key: KeyPair) {
  return tokenRequest(discovery, await codeParams(discovery), await proof(key, discovery.token_endpoint));
}

describe('DPoP-bound tokens (oidc-provider binding, pinned)', () => {
  const dev = devIdpForFile({ redirectUris: [REDIRECT_URI] });

  it('binds the access token (cnf.jkt, token_type DPoP) and the public client refresh token to the key', async () => {
    const key = await keyPair();
    const { discovery } = dev;
    const issued = await boundCodeExchange(discovery, key);
    expect(issued.status).toBe(200);
    expect(issued.body.token_type).toBe('DPoP');
    const jkt = await calculateJwkThumbprint(await exportJWK(key.publicKey));
    expect(decodeJwt(issued.body.access_token!)).toMatchObject({ cnf: { jkt } });

    const refresh = { grant_type: 'refresh_token', refresh_token: issued.body.refresh_token! };
    const other = await tokenRequest(
      discovery,
      refresh,
      await proof(await keyPair(), discovery.token_endpoint),
    );
    expect(other.status).toBe(400);
    expect(other.body.error).toBe('invalid_grant');
    const without = await tokenRequest(discovery, refresh);
    expect(without.status).toBe(400);

    const refreshed = await tokenRequest(discovery, refresh, await proof(key, discovery.token_endpoint));
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.token_type).toBe('DPoP');
    expect(decodeJwt(refreshed.body.access_token!)).toMatchObject({ cnf: { jkt } });
  });

  it('issues Bearer tokens without cnf when no proof is sent', async () => {
    const issued = await tokenRequest(dev.discovery, await codeParams(dev.discovery));
    expect(issued.body.token_type).toMatch(/^bearer$/i);
    expect(decodeJwt(issued.body.access_token!).cnf).toBeUndefined();
  });

  it('refuses a proof for another URL or replayed at the token endpoint', async () => {
    const key = await keyPair();
    const wrong = await tokenRequest(
      dev.discovery,
      await codeParams(dev.discovery),
      await proof(key, `${dev.idp.issuer}/elsewhere`),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toBe('invalid_dpop_proof');

    const once = await proof(key, dev.discovery.token_endpoint);
    expect((await tokenRequest(dev.discovery, await codeParams(dev.discovery), once)).status).toBe(200);
    const replayed = await tokenRequest(dev.discovery, await codeParams(dev.discovery), once);
    expect(replayed.status).toBe(400);
    expect(replayed.body.error).toBe('invalid_grant');
  });

  it('issueTokens({ dpop }) gets DPoP-bound tokens', async () => {
    const key = await keyPair();
    const tokens = await issueTokens(dev.idp.issuer, ALICE, { dpop: key, redirectUri: REDIRECT_URI });
    expect(tokens.token_type).toBe('DPoP');
    expect(decodeJwt(tokens.access_token).cnf).toEqual({
      jkt: await calculateJwkThumbprint(await exportJWK(key.publicKey)),
    });
  });
});

describe('DPoP server nonces (dpopNonces)', () => {
  const dev = devIdpForFile({ redirectUris: [REDIRECT_URI], dpopNonces: true });

  it('answers a proof without nonce with use_dpop_nonce and a DPoP-Nonce, then accepts the nonce', async () => {
    const key = await keyPair();
    const params = await codeParams(dev.discovery);
    const first = await tokenRequest(dev.discovery, params, await proof(key, dev.discovery.token_endpoint));
    expect(first.status).toBe(400);
    expect(first.body.error).toBe('use_dpop_nonce');
    expect(first.nonce).toEqual(expect.any(String));
    const second = await tokenRequest(
      dev.discovery,
      params,
      await proof(key, dev.discovery.token_endpoint, first.nonce!),
    );
    expect(second.status).toBe(200);
    expect(second.body.token_type).toBe('DPoP');
  });

  it('lets browsers send DPoP and read DPoP-Nonce across origins', async () => {
    const origin = 'http://localhost:5173';
    const preflight = await fetch(dev.discovery.token_endpoint, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'dpop' },
    });
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('dpop');
    const answer = await fetch(dev.discovery.token_endpoint, {
      method: 'POST',
      headers: {
        origin,
        'content-type': 'application/x-www-form-urlencoded',
        dpop: await proof(await keyPair(), dev.discovery.token_endpoint),
      },
      body: new URLSearchParams({
        client_id: DEFAULT_CLIENT_ID,
        grant_type: 'refresh_token',
        refresh_token: 'x',
      }),
    });
    expect(answer.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('dpop-nonce');
  });
});

describe('a client that requires DPoP (dpopRequired, RFC 9449 §5.2 dpop_bound_access_tokens)', () => {
  const dev = devIdpForFile({ redirectUris: [REDIRECT_URI], dpopRequired: true });

  it('refuses the code exchange without a proof with invalid_dpop_proof (§5) and binds it with one', async () => {
    const without = await tokenRequest(dev.discovery, await codeParams(dev.discovery));
    expect(without.status).toBe(400);
    expect(without.body.error).toBe('invalid_dpop_proof');
    const key = await keyPair();
    const bound = await boundCodeExchange(dev.discovery, key);
    expect(bound.body.token_type).toBe('DPoP');
  });

  it('refuses any token request without a proof, a refresh or a spent code, readable by the app origin', async () => {
    const key = await keyPair();
    const { discovery } = dev;
    const issued = await boundCodeExchange(discovery, key);
    const refresh = { grant_type: 'refresh_token', refresh_token: issued.body.refresh_token! };
    expect((await tokenRequest(discovery, refresh)).body.error).toBe('invalid_dpop_proof');
    const spent = { ...(await codeParams(discovery)), code: 'unknown' };
    expect((await tokenRequest(discovery, spent)).body.error).toBe('invalid_dpop_proof');

    const fromApp = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:5173' },
      body: new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, ...refresh }),
    });
    expect(fromApp.status).toBe(400);
    expect(fromApp.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(fromApp.headers.get('cache-control')).toBe('no-store');
    expect(((await fromApp.json()) as TokenResponse).error).toBe('invalid_dpop_proof');
  });

  it('leaves other clients free to send no proof', async () => {
    const other = await tokenRequest(dev.discovery, {
      client_id: DEFAULT_CLI_CLIENT_ID,
      grant_type: 'refresh_token',
      refresh_token: 'unknown',
    });
    expect(other.body.error).toBe('invalid_grant');
  });
});

describe('userinfo with a DPoP-bound API token', () => {
  const dev = devIdpForFile({ redirectUris: [REDIRECT_URI] });

  it('answers with the proof of the bound key, and refuses the token as Bearer or with a wrong proof', async () => {
    const key = await keyPair();
    const { discovery } = dev;
    const issued = await boundCodeExchange(discovery, key);
    const token = issued.body.access_token!;
    const userinfoProof = async (htu: string, signer = key) =>
      new SignJWT({
        htm: 'GET',
        htu,
        jti: randomUUID(),
        ath: createHash('sha256').update(token).digest('base64url'),
      })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(signer.publicKey) })
        .setIssuedAt()
        .sign(signer.privateKey);
    const call = (authorization: string, dpop?: string) =>
      fetch(discovery.userinfo_endpoint, { headers: { authorization, ...(dpop ? { dpop } : {}) } });

    const ok = await call(`DPoP ${token}`, await userinfoProof(discovery.userinfo_endpoint));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ sub: 'alice' });
    expect((await call(`Bearer ${token}`)).status).toBe(401);
    expect((await call(`DPoP ${token}`, await userinfoProof(`${dev.idp.issuer}/elsewhere`))).status).not.toBe(
      200,
    );
    expect(
      (await call(`DPoP ${token}`, await userinfoProof(discovery.userinfo_endpoint, await keyPair()))).status,
    ).not.toBe(200);
  });
});

describe('the absolute refresh token lifetime (refreshTokenTtl) of DPoP-bound tokens', () => {
  // Long enough that the rotation halfway through is answered well before the first token runs out (its
  // second may be the access token's minus one), on a loaded machine too.
  const REFRESH_TOKEN_TTL = 10;
  const dev = devIdpForFile({ redirectUris: [REDIRECT_URI], refreshTokenTtl: REFRESH_TOKEN_TTL });
  const until = (epochSeconds: number) =>
    new Promise((resolve) => setTimeout(resolve, Math.max(0, epochSeconds * 1000 - Date.now())));

  it('is not extended by rotation: the rotated token expires with the first one', async () => {
    const key = await keyPair();
    const { discovery } = dev;
    const withProof = async (params: Record<string, string>) =>
      tokenRequest(discovery, params, await proof(key, discovery.token_endpoint));
    const issued = await withProof(await codeParams(discovery));
    expect(issued.body.token_type).toBe('DPoP');
    // Issued in the same second as the access token, give or take one.
    const issuedAt = decodeJwt(issued.body.access_token!).iat!;

    // Halfway through its life, rotation gives a new refresh token...
    await until(issuedAt + REFRESH_TOKEN_TTL / 2);
    const rotated = await withProof({
      grant_type: 'refresh_token',
      refresh_token: issued.body.refresh_token!,
    });
    expect(rotated.status).toBe(200);

    // ...that is refused once the first one's lifetime is over (a fresh lifetime would run 5 s longer).
    await until(issuedAt + REFRESH_TOKEN_TTL + 1.5);
    const late = await withProof({ grant_type: 'refresh_token', refresh_token: rotated.body.refresh_token! });
    expect(late.status).toBe(400);
    expect(late.body.error).toBe('invalid_grant');
  });
});
