import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevIdp } from '@grantflow/dev-idp';
import { memoryStorage } from '../src/storage.js';
import { login, startIdp, testClient } from './support.js';

let idp: DevIdp;
beforeAll(async () => {
  idp = await startIdp();
});
afterAll(() => idp.close());

/** A client whose token requests are counted, and answered 503 while `down`. */
function countingClient(extra: Parameters<typeof testClient>[1] = {}) {
  const grants: string[] = [];
  const control = { down: false };
  const tab = testClient(idp.issuer, {
    useRefreshTokens: true,
    fetch: async (url, init) => {
      if (init.body instanceof URLSearchParams) {
        grants.push(init.body.get('grant_type')!);
        if (control.down) return new Response('<h1>Service Unavailable</h1>', { status: 503 });
      }
      return fetch(url, init);
    },
    ...extra,
  });
  return { ...tab, grants, control };
}

describe('a refresh', () => {
  it('makes exactly one token request per attempt, succeeded or failed, and none while the token is fresh', async () => {
    const { client, navigations, grants, control, expireTokens } = countingClient();
    await login(client, navigations);
    expect(grants).toEqual(['authorization_code']);
    await client.getAccessToken();
    expect(grants).toHaveLength(1);

    expireTokens();
    control.down = true;
    await expect(client.getAccessToken()).rejects.toMatchObject({ code: 'invalid_response', status: 503 });
    expect(grants).toEqual(['authorization_code', 'refresh_token']);
    await expect(client.getAccessToken()).rejects.toMatchObject({ status: 503 });
    expect(grants).toEqual(['authorization_code', 'refresh_token', 'refresh_token']);

    control.down = false;
    // Concurrent callers share the one request of this attempt.
    await Promise.all([client.getAccessToken(), client.getAccessToken(), client.getAccessToken()]);
    expect(grants).toEqual(['authorization_code', 'refresh_token', 'refresh_token', 'refresh_token']);
    client.destroy();
  });
});

describe('logout({ localOnly: true })', () => {
  it('ends the session here without visiting the end-session endpoint the server has', async () => {
    const { client, navigations, storage } = testClient(idp.issuer, { storage: memoryStorage() });
    await login(client, navigations);
    const before = navigations.length;
    await client.logout({ localOnly: true, returnTo: 'http://localhost:5999/' });
    expect(navigations).toHaveLength(before);
    expect(client.getSnapshot().status).toBe('unauthenticated');
    expect(await storage.get('grantflow.grantflow-demo.session')).toBeUndefined();
    await client.logout({ returnTo: 'http://localhost:5999/' });
    expect(navigations).toHaveLength(before + 1);
    client.destroy();
  });
});

describe('login transactions', () => {
  it('wait in sessionStorage, never in localStorage', async () => {
    const session = new Map<string, string>();
    const local = new Map<string, string>();
    const webStorage = (map: Map<string, string>) =>
      ({
        getItem: (key: string) => map.get(key) ?? null,
        setItem: (key: string, value: string) => void map.set(key, value),
        removeItem: (key: string) => void map.delete(key),
      }) as Storage;
    const { client, navigations } = testClient(idp.issuer, {
      environment: { sessionStorage: webStorage(session), localStorage: webStorage(local) },
    });
    await client.loginWithRedirect();
    const state = new URL(navigations[0]!).searchParams.get('state');
    expect([...session.keys()]).toEqual([`grantflow.grantflow-demo.tx.${state}`]);
    expect(local.size).toBe(0);
    client.destroy();
  });
});
