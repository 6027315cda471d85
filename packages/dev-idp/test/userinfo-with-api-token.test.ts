import { createHash, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CLIENT_ID, issueTokens, signIn } from '../src/index.js';
import {
  ALICE,
  APP_ORIGIN,
  REDIRECT_URI,
  authorizeUrl,
  devIdpForFile,
  dpopProof,
  pkcePair,
  signInForBoundTokens,
  signInForTokens,
} from './support.js';

const started = devIdpForFile({ redirectUris: [REDIRECT_URI], corsOrigins: [APP_ORIGIN] });

function userinfo(token: string, origin?: string) {
  return fetch(started.discovery.userinfo_endpoint, {
    headers: { authorization: `Bearer ${token}`, ...(origin === undefined ? {} : { origin }) },
  });
}

describe('userinfo with an access token for the API', () => {
  it('answers the profile when openid was asked for, as Auth0 does', async () => {
    const { body } = await signInForTokens(started.discovery, ALICE);
    const response = await userinfo(body.access_token!, APP_ORIGIN);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(await response.json()).toEqual({
      sub: 'alice',
      email: 'alice@example.com',
      email_verified: true,
      name: 'Alice Example',
    });
  });

  it('releases only the claims of the scopes granted', async () => {
    const { body } = await signInForTokens(started.discovery, ALICE, { scope: 'openid read:appointments' });
    expect(await (await userinfo(body.access_token!)).json()).toEqual({ sub: 'alice' });
  });

  it('refuses a tampered API token with 401', async () => {
    const good = await signInForTokens(started.discovery, ALICE);
    expect((await userinfo(`${good.body.access_token!}x`)).status).toBe(401);
  });

  it('stops answering once the grant is revoked', async () => {
    const { body } = await signInForTokens(started.discovery, ALICE);
    await fetch(started.discovery.revocation_endpoint, {
      method: 'POST',
      body: new URLSearchParams({ client_id: 'grantflow-demo', token: body.refresh_token! }),
    });
    expect((await userinfo(body.access_token!)).status).toBe(401);
  });
});

/** The parts of a refusal that tell the client what to do. */
async function refusal(response: Response) {
  const challenge = response.headers.get('www-authenticate') ?? '';
  return { status: response.status, challenge, body: await response.json() };
}

describe('userinfo with a token granted without openid (OIDC Core §5.3.3, RFC 6750 §3.1)', () => {
  const withoutOpenid = { scope: 'read:appointments offline_access', nonce: undefined };
  const insufficientScope = {
    status: 403,
    challenge: expect.stringMatching(/^Bearer .*error="insufficient_scope".*scope="openid"/),
    body: expect.objectContaining({ error: 'insufficient_scope', scope: 'openid' }),
  };

  it('answers 403 insufficient_scope with scope="openid" for an API token, as for an opaque one', async () => {
    const api = await signInForTokens(started.discovery, ALICE, withoutOpenid);
    const opaque = await signInForTokens(started.discovery, ALICE, { ...withoutOpenid, audience: undefined });
    const answers = [api, opaque].map(async ({ body }) => refusal(await userinfo(body.access_token!)));
    const [forApi, forOpaque] = await Promise.all(answers);
    expect(forOpaque).toEqual(insufficientScope);
    expect(forApi).toEqual(forOpaque);
  });

  it('answers a DPoP-bound API token with its proof in the DPoP scheme, as an opaque one', async () => {
    const answerFor = async (extra: Record<string, string | undefined>) => {
      const key = await generateKeyPair('ES256');
      const { body } = await signInForBoundTokens(started.discovery, key, { ...withoutOpenid, ...extra });
      const token = body.access_token!;
      const htu = started.discovery.userinfo_endpoint;
      const dpop = await dpopProof(key, { htm: 'GET', htu, accessToken: token });
      return refusal(await fetch(htu, { headers: { authorization: `DPoP ${token}`, dpop } }));
    };
    const forOpaque = await answerFor({ audience: undefined });
    expect(forOpaque).toEqual({
      ...insufficientScope,
      challenge: expect.stringMatching(/^DPoP .*error="insufficient_scope"/),
    });
    expect(await answerFor({})).toEqual(forOpaque);
  });
});

describe('an API token presented twice (RFC 6750 §2: one method per request)', () => {
  it('in the header and in the query gets invalid_request, as an opaque token does', async () => {
    const { body } = await signInForTokens(started.discovery, ALICE);
    const url = new URL(started.discovery.userinfo_endpoint);
    url.searchParams.set('access_token', body.access_token!);
    const twice = await fetch(url, { headers: { authorization: `Bearer ${body.access_token!}` } });
    expect(twice.status).toBe(400);
    expect(((await twice.json()) as { error: string }).error).toBe('invalid_request');
  });
});

describe('userinfo by POST (OIDC Core §5.3.1)', () => {
  const post = (headers: Record<string, string>, body?: URLSearchParams) =>
    fetch(started.discovery.userinfo_endpoint, { method: 'POST', headers, body });

  it('answers an API token in the Authorization header or in a form body (RFC 6750 §2.2)', async () => {
    const { body } = await signInForTokens(started.discovery, ALICE, {
      scope: 'openid email read:appointments',
    });
    const token = body.access_token!;
    const viaHeader = await post({ authorization: `Bearer ${token}` });
    expect(viaHeader.status).toBe(200);
    const viaBody = await post(
      { 'content-type': 'application/x-www-form-urlencoded', origin: APP_ORIGIN },
      new URLSearchParams({ access_token: token }),
    );
    expect(viaBody.status).toBe(200);
    expect(viaBody.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    const claims = { sub: 'alice', email: 'alice@example.com', email_verified: true };
    expect(await viaHeader.json()).toEqual(claims);
    expect(await viaBody.json()).toEqual(claims);
  });

  it('refuses a token sent in both the header and the body with invalid_request', async () => {
    const { body } = await signInForTokens(started.discovery, ALICE);
    const both = await post(
      { authorization: `Bearer ${body.access_token!}`, 'content-type': 'application/x-www-form-urlencoded' },
      new URLSearchParams({ access_token: body.access_token! }),
    );
    expect(both.status).toBe(400);
    expect(((await both.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('still refuses a tampered token sent in the body', async () => {
    const { body } = await signInForTokens(started.discovery, ALICE);
    const tampered = await post(
      { 'content-type': 'application/x-www-form-urlencoded' },
      new URLSearchParams({ access_token: `${body.access_token!}x` }),
    );
    expect(tampered.status).toBe(401);
  });
});

describe('userinfo with a DPoP-bound API token', () => {
  it('is refused as a Bearer token (RFC 9449 §7.1)', async () => {
    const key = await generateKeyPair('ES256');
    const { verifier, challenge } = pkcePair();
    const redirect = await signIn(authorizeUrl(started.discovery, challenge), ALICE);
    const htu = started.discovery.token_endpoint;
    const proof = await new SignJWT({ htm: 'POST', htu, jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(key.publicKey) })
      .setIssuedAt()
      .sign(key.privateKey);
    const response = await fetch(htu, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: proof },
      body: new URLSearchParams({
        client_id: DEFAULT_CLIENT_ID,
        grant_type: 'authorization_code',
        code: redirect.searchParams.get('code') ?? '',
        code_verifier: verifier,
        redirect_uri: REDIRECT_URI,
      }),
    });
    const { access_token, token_type } = (await response.json()) as {
      access_token: string;
      token_type: string;
    };
    expect(token_type).toBe('DPoP');
    expect((await userinfo(access_token)).status).toBe(401);
  });

  it('is answered by POST with a proof for POST in the DPoP scheme, never from a form body', async () => {
    const key = await generateKeyPair('ES256');
    const tokens = await issueTokens(started.idp.issuer, ALICE, { dpop: key, redirectUri: REDIRECT_URI });
    const token = tokens.access_token;
    const proofFor = async (htm: string) =>
      new SignJWT({
        htm,
        htu: started.discovery.userinfo_endpoint,
        jti: randomUUID(),
        ath: createHash('sha256').update(token).digest('base64url'),
      })
        .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(key.publicKey) })
        .setIssuedAt()
        .sign(key.privateKey);
    const post = async (htm: string) =>
      fetch(started.discovery.userinfo_endpoint, {
        method: 'POST',
        headers: { authorization: `DPoP ${token}`, dpop: await proofFor(htm) },
      });
    expect((await post('POST')).status).toBe(200);
    expect((await post('GET')).status).toBe(401);
    const inBody = await fetch(started.discovery.userinfo_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: await proofFor('POST') },
      body: new URLSearchParams({ access_token: token }),
    });
    // A proof with a token outside the DPoP scheme is a malformed request (RFC 9449 §7.1).
    expect(inBody.status).toBe(400);
  });
});
