import { signIn, type DevIdp } from '@grantflow/dev-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidResponseError } from '../src/errors.js';
import { login, startIdp, testClient } from './support.js';

let idp: DevIdp;
let strict: DevIdp;
let metadata: Record<string, string>;
beforeAll(async () => {
  idp = await startIdp();
  strict = await startIdp({ requirePushedAuthorizationRequests: true });
  metadata = (await (await fetch(`${idp.issuer}.well-known/openid-configuration`)).json()) as Record<
    string,
    string
  >;
});
afterAll(async () => {
  await idp.close();
  await strict.close();
});

describe('pushed authorization requests (RFC 9126) in the redirect flow', () => {
  it('pushes when the app opts in: the browser sees only client_id and request_uri', async () => {
    const { client, navigations, tokenRequests } = testClient(idp.issuer, {
      pushedAuthorizationRequests: true,
    });
    await login(client, navigations);
    const url = new URL(navigations[0]!);
    expect([...url.searchParams.keys()].sort()).toEqual(['client_id', 'request_uri']);
    expect(tokenRequests[0]!.url).toBe(metadata.pushed_authorization_request_endpoint);
    expect(tokenRequests[0]!.params.get('code_challenge_method')).toBe('S256');
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'alice' } });
    client.destroy();
  });

  it('does not push unless asked, while the server does not require it', async () => {
    const { client, navigations } = testClient(idp.issuer);
    await login(client, navigations);
    expect(new URL(navigations[0]!).searchParams.get('code_challenge')).toEqual(expect.any(String));
    client.destroy();
  });

  it('always pushes to a server that requires it', async () => {
    const { client, navigations } = testClient(strict.issuer);
    await login(client, navigations);
    expect(new URL(navigations[0]!).searchParams.has('request_uri')).toBe(true);
    expect(client.getSnapshot().status).toBe('authenticated');
    client.destroy();
  });
});

describe('RFC 9207: iss on the callback', () => {
  async function callbackWithout(iss: 'drop' | 'other', options = {}) {
    const { client, navigations, storage } = testClient(idp.issuer, options);
    await client.loginWithRedirect();
    const callback = await signIn(navigations.at(-1)!, {
      email: 'alice@example.com',
      password: 'alice-password',
    });
    if (iss === 'drop') callback.searchParams.delete('iss');
    else callback.searchParams.set('iss', 'https://evil.example.test/');
    return { client, storage, outcome: client.handleRedirectCallback(callback.href) };
  }

  it('is required when discovery says the server sends it', async () => {
    const { client, storage, outcome } = await callbackWithout('drop');
    await expect(outcome).rejects.toBeInstanceOf(InvalidResponseError);
    expect(await storage.get('grantflow.grantflow-demo.session')).toBeUndefined();
    client.destroy();
  });

  it('is required with explicit endpoints when they say so', async () => {
    const endpoints = {
      authorization: metadata.authorization_endpoint!,
      token: metadata.token_endpoint!,
      authorizationResponseIssParameterSupported: true,
    };
    const { client, outcome } = await callbackWithout('drop', { endpoints });
    await expect(outcome).rejects.toMatchObject({ code: 'invalid_response' });
    client.destroy();
  });

  it('must name the issuer when present', async () => {
    const { client, outcome } = await callbackWithout('other');
    await expect(outcome).rejects.toMatchObject({ code: 'invalid_response' });
    client.destroy();
  });
});
