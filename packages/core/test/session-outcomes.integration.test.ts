import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DevIdp } from '@grantflow/dev-idp';
import { LoginRequiredError, StateMismatchError } from '../src/errors.js';
import { silentAuthorization, type SilentAuthorization } from '../src/silent.js';
import { memoryStorage } from '../src/storage.js';
import { crossTabSync } from '../src/tab-sync.js';
import { EVENTUALLY, login, REDIRECT_URI, startIdp, testClient } from './support.js';

let idp: DevIdp;
beforeAll(async () => {
  idp = await startIdp();
});
afterAll(() => idp.close());

const SESSION_KEY = 'grantflow.grantflow-demo.session';

/** A silent authorization the server answers with `error` (as it does without a session cookie). */
const answeredWith = (error: string, asked: string[] = []): SilentAuthorization =>
  silentAuthorization(async ({ url, redirectUri }) => {
    asked.push(url);
    const state = new URL(url).searchParams.get('state')!;
    return `${redirectUri}?error=${error}&state=${state}&iss=${encodeURIComponent(idp.issuer)}`;
  });

describe('what a failure means for the session', () => {
  it('login_required from a silent authorization for another audience fails that call only, here and in other tabs', async () => {
    const shared = memoryStorage();
    const asked: string[] = [];
    const options = {
      storage: shared,
      tabs: crossTabSync(),
      silentAuthorization: answeredWith('login_required', asked),
    };
    const first = testClient(idp.issuer, options);
    const second = testClient(idp.issuer, options);
    try {
      await login(first.client, first.navigations);
      await vi.waitFor(() => expect(second.client.getSnapshot().status).toBe('authenticated'), EVENTUALLY);
      const before = first.client.getSnapshot();
      const stored = await shared.get(SESSION_KEY);

      await expect(
        first.client.getAccessToken({ audience: 'https://other.example/api' }),
      ).rejects.toBeInstanceOf(LoginRequiredError);
      expect(new URL(asked[0]!).searchParams.get('audience')).toBe('https://other.example/api');
      expect(first.client.getSnapshot()).toBe(before);
      expect(await shared.get(SESSION_KEY)).toBe(stored);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(second.client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
    } finally {
      first.client.destroy();
      second.client.destroy();
    }
  });

  it('login_required from a silent authorization for the default audience ends the session', async () => {
    const { client, navigations, storage, expireTokens } = testClient(idp.issuer, {
      silentAuthorization: answeredWith('login_required'),
    });
    await login(client, navigations);
    expireTokens();
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(LoginRequiredError);
    expect(client.getSnapshot()).toMatchObject({ status: 'error', isAuthenticated: false, user: undefined });
    expect(client.getSnapshot().error?.code).toBe('login_required');
    expect(await storage.get(SESSION_KEY)).toBeUndefined();
    client.destroy();
  });

  it('consent_required while restoring at page load is the signed-out case, not an error', async () => {
    const { client, storage } = testClient(idp.issuer, {
      silentAuthorization: answeredWith('consent_required'),
    });
    await storage.set(
      SESSION_KEY,
      JSON.stringify({ refresh_tokens: {}, tokens: {}, claims: { sub: 'stale' } }),
    );
    await client.checkSession();
    expect(client.getSnapshot()).toMatchObject({ status: 'unauthenticated', error: undefined });
    // What could not be restored is dropped.
    expect(await storage.get(SESSION_KEY)).toBeUndefined();
    client.destroy();
  });

  it('a stale callback opened at page load restores the stored session and reports state_mismatch beside it', async () => {
    const storage = memoryStorage();
    const signedIn = testClient(idp.issuer, { storage });
    await login(signedIn.client, signedIn.navigations);
    const expected = signedIn.client.getSnapshot();
    signedIn.client.destroy();

    // A reload of the same app at a callback URL whose state this browser never issued.
    const reloaded = testClient(idp.issuer, { storage });
    await expect(
      reloaded.client.handleRedirectCallback(`${REDIRECT_URI}?code=x&state=y`),
    ).rejects.toBeInstanceOf(StateMismatchError);
    expect(reloaded.client.getSnapshot()).toEqual({ ...expected, error: expect.any(StateMismatchError) });
    expect(reloaded.tokenRequests).toEqual([]);
    reloaded.client.destroy();
  });
});

describe('isSilentCallback', () => {
  it('is true only for a callback URL in a framed page', () => {
    const callback = `${REDIRECT_URI}?code=c&state=s`;
    const framed = testClient(idp.issuer, { environment: { framed: true } }).client;
    const top = testClient(idp.issuer, { environment: { framed: false } }).client;
    expect(framed.isSilentCallback(callback)).toBe(true);
    expect(framed.isSilentCallback(`${REDIRECT_URI}?tab=1`)).toBe(false);
    expect(top.isSilentCallback(callback)).toBe(false);
    expect(top.isCallbackUrl(callback)).toBe(true);
  });

  it('recognises a callback at a distinct silentRedirectUri, which is no redirect callback', () => {
    const silentRedirectUri = 'http://localhost:5999/silent-callback';
    const callback = `${silentRedirectUri}?code=c&state=s`;
    const framed = testClient(idp.issuer, { environment: { framed: true }, silentRedirectUri }).client;
    expect(framed.isSilentCallback(callback)).toBe(true);
    expect(framed.isSilentCallback(`${REDIRECT_URI}?code=c&state=s`)).toBe(true);
    expect(framed.isCallbackUrl(callback)).toBe(false);
    expect(framed.isSilentCallback('http://localhost:5999/elsewhere?code=c&state=s')).toBe(false);
  });
});
