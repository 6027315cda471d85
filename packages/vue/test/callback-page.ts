import { createAuthClient, type AuthClientOptions } from '@grantflow/core';
import { DEFAULT_CLIENT_ID, DEMO_USERS, startDevIdp, type DevIdp } from '@grantflow/dev-idp';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { signInAtIdp } from './sign-in.js';

export const ORIGIN = window.location.origin;
export const CALLBACK = `${ORIGIN}/callback`;
const alice = DEMO_USERS.find((u) => u.sub === 'alice')!;

/** A page load signs in through the real IdP: generous waits on a loaded machine. */
export const SLOW = { timeout: 15_000 };

/** Starts the real dev IdP (allowing this page's origin) for the test file; resets the page after each test. */
export function useDevIdp(): () => DevIdp {
  let idp: DevIdp;
  beforeAll(async () => {
    idp = await startDevIdp({ port: 0, quiet: true, redirectUris: [CALLBACK], corsOrigins: [ORIGIN] });
  });
  afterAll(() => idp.close());
  afterEach(resetPage);
  return () => idp;
}

/**
 * Options of a page's client against `idp`, with what it did: the code exchanges it made (over the
 * real fetch) and the navigations it asked for.
 */
export function pageClient(idp: DevIdp, extra: Partial<AuthClientOptions> = {}) {
  const seen = { exchanges: 0, navigations: [] as string[] };
  const options: AuthClientOptions = {
    issuer: idp.issuer,
    clientId: DEFAULT_CLIENT_ID,
    redirectUri: CALLBACK,
    storage: 'session',
    navigate: (url) => void seen.navigations.push(url),
    fetch: (url, init) => {
      if (init.body instanceof URLSearchParams && init.body.get('grant_type') === 'authorization_code') {
        seen.exchanges++;
      }
      return fetch(url, init);
    },
    ...extra,
  };
  return { options, seen };
}

/** Starts a login on an earlier page load; returns the authorization URL (its transaction is stored). */
export async function startLogin(idp: DevIdp, appState?: unknown): Promise<string> {
  const { options, seen } = pageClient(idp);
  const client = createAuthClient(options);
  await client.loginWithRedirect({ appState });
  client.destroy();
  return seen.navigations[0]!;
}

/** Alice signs in at the IdP; the browser comes back to the callback URL (now this page's address). */
export async function returnFromIdp(idp: DevIdp, appState?: unknown): Promise<string> {
  const callback = await signInAtIdp(await startLogin(idp, appState), alice);
  window.history.replaceState(null, '', callback.pathname + callback.search);
  return callback.href;
}

/** Between tests: no stored transaction or session, and the page back at `/`. */
export function resetPage(): void {
  sessionStorage.clear();
  window.history.replaceState(null, '', '/');
}
