import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUDIENCE, DEFAULT_CLIENT_ID, signIn } from '../src/index.js';
import {
  ALICE,
  REDIRECT_URI,
  authorizeUrl,
  devIdpForFile,
  exchangeCode,
  pkcePair,
  type Discovery,
} from './support.js';

type ParDiscovery = Discovery & {
  pushed_authorization_request_endpoint: string;
  require_pushed_authorization_requests?: boolean;
};

async function push(discovery: Discovery, params: Record<string, string>) {
  const response = await fetch((discovery as ParDiscovery).pushed_authorization_request_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function pushedParams(challenge: string): Record<string, string> {
  return Object.fromEntries(
    authorizeUrl({ authorization_endpoint: 'https://x.test/' } as Discovery, challenge).searchParams,
  );
}

const started = devIdpForFile({ redirectUris: [REDIRECT_URI] });

describe('pushed authorization requests (RFC 9126)', () => {
  it("advertises Auth0's /oauth/par, not required", () => {
    const discovery = started.discovery as ParDiscovery;
    expect(new URL(discovery.pushed_authorization_request_endpoint).pathname).toBe('/oauth/par');
    expect(discovery.require_pushed_authorization_requests).not.toBe(true);
  });

  it('takes the parameters by POST and signs in with only client_id and request_uri, refresh token included', async () => {
    const { verifier, challenge } = pkcePair();
    const pushed = await push(started.discovery, pushedParams(challenge));
    expect(pushed.status).toBe(201);
    expect(pushed.body.request_uri).toMatch(/^urn:ietf:params:oauth:request_uri:/);
    expect(pushed.body.expires_in).toBeGreaterThan(0);

    const authorize = new URL(started.discovery.authorization_endpoint);
    authorize.searchParams.set('client_id', DEFAULT_CLIENT_ID);
    authorize.searchParams.set('request_uri', String(pushed.body.request_uri));
    const redirect = await signIn(authorize, ALICE);
    const { body } = await exchangeCode(started.discovery, redirect.searchParams.get('code') ?? '', verifier);
    expect(typeof body.refresh_token).toBe('string');
    expect(decodeJwt(body.access_token!).aud).toBe(DEFAULT_AUDIENCE);
  });

  it('answers a bad pushed request with an OAuth error body', async () => {
    const params = pushedParams(pkcePair().challenge);
    params.redirect_uri = 'https://evil.example.test/cb';
    const pushed = await push(started.discovery, params);
    expect(pushed.status).toBe(400);
    expect(pushed.body.error).toBe('invalid_request');
  });
});

const required = devIdpForFile({ redirectUris: [REDIRECT_URI], requirePushedAuthorizationRequests: true });

describe('requirePushedAuthorizationRequests', () => {
  it('says so in discovery and refuses a plain authorization request', async () => {
    expect((required.discovery as ParDiscovery).require_pushed_authorization_requests).toBe(true);
    const redirect = await signIn(authorizeUrl(required.discovery, pkcePair().challenge), ALICE);
    expect(redirect.searchParams.get('error')).toBe('invalid_request');
  });
});
