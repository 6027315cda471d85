import { describe, expect, it } from 'vitest';
import type { RenewalEvent, RenewalHost } from '../src/automatic-renewal.js';
import type { WindowLike } from '../src/environment.js';
import { manualTimers, OFFLINE_NOW, OFFLINE_TOKEN_KEY, offlineClient } from './support.js';

const stored = {
  claims: { name: 'Alice' },
  refresh_tokens: { '': 'rt' },
  tokens: {
    [OFFLINE_TOKEN_KEY]: { access_token: 'cached', expires_at: OFFLINE_NOW + 600_000, scope: 'openid' },
  },
};
const noAnswer = () => Promise.reject(new TypeError('offline'));

/** An automatic renewal module that keeps what the client hands it, and counts its stops. */
function recordingRenewal() {
  const seen = { host: undefined as RenewalHost | undefined, stops: 0 };
  const listeners: Array<(event: RenewalEvent) => void> = [];
  const renewal = (host: RenewalHost) => {
    seen.host = host;
    return {
      subscribe: (listener: (event: RenewalEvent) => void) => {
        listeners.push(listener);
        return () => void listeners.splice(listeners.indexOf(listener), 1);
      },
      stop: () => void seen.stops++,
    };
  };
  return { renewal, seen, listeners };
}

describe('the client without the popup module', () => {
  it('refuses popup sign-in with a TypeError naming the module, and forwards no popup callback', async () => {
    const { client } = offlineClient({}, noAnswer);
    for (const attempt of [client.loginWithPopup(), client.getAccessTokenWithPopup()]) {
      await expect(attempt).rejects.toBeInstanceOf(TypeError);
      await expect(attempt).rejects.toThrow(
        'popup sign-in needs the popup module: createAuthClient({ popup: popupWindow() })',
      );
    }
    await expect(client.forwardPopupCallback('https://app.example/callback?code=c&state=s')).resolves.toBe(
      false,
    );
    client.destroy();
  });
});

describe('the client with an automatic renewal module', () => {
  it('hands it the session, the clock, the leeway, the timers and the window of the client', async () => {
    const { renewal, seen } = recordingRenewal();
    const { timers } = manualTimers();
    const window = { addEventListener: () => undefined, removeEventListener: () => undefined };
    const { client } = offlineClient(stored, noAnswer, {
      renewal,
      leeway: 30,
      environment: { timers, window: window as unknown as WindowLike },
    });
    await client.checkSession();
    const host = seen.host!;
    expect(host.session()).toBe(client.getSnapshot());
    expect(host.session()).toMatchObject({
      isAuthenticated: true,
      accessTokenExpiresAt: OFFLINE_NOW + 600_000,
    });
    expect(host.now()).toBe(OFFLINE_NOW);
    expect(host.leeway).toBe(30);
    expect(host.timers).toBe(timers);
    expect(host.window).toBe(window);
    await expect(host.renew()).resolves.toBe('cached');
    let changes = 0;
    host.subscribe(() => changes++);
    await client.logout({ localOnly: true });
    expect(changes).toBe(1);
    client.destroy();
  });

  it('passes its events to onRenewal listeners, and stops it on destroy', () => {
    const { renewal, seen, listeners } = recordingRenewal();
    const { client } = offlineClient(stored, noAnswer, { renewal });
    const heard: RenewalEvent[] = [];
    const unsubscribe = client.onRenewal((event) => heard.push(event));
    listeners.forEach((listener) => listener({ type: 'renewed', expiresAt: 1 }));
    expect(heard).toEqual([{ type: 'renewed', expiresAt: 1 }]);
    unsubscribe();
    listeners.forEach((listener) => listener({ type: 'renewed', expiresAt: 2 }));
    expect(heard).toEqual([{ type: 'renewed', expiresAt: 1 }]);
    expect(seen.stops).toBe(0);
    client.destroy();
    expect(seen.stops).toBe(1);
  });
});

describe('the client’s session getters', () => {
  it('answer from the snapshot: the user, the ID token claims, whether someone is signed in', async () => {
    const { client } = offlineClient(stored, noAnswer);
    await expect(client.isAuthenticated()).resolves.toBe(false);
    await expect(client.getUser()).resolves.toBeUndefined();
    await client.checkSession();
    await expect(client.isAuthenticated()).resolves.toBe(true);
    await expect(client.getUser()).resolves.toEqual({ sub: 'u', name: 'Alice' });
    await expect(client.getIdTokenClaims()).resolves.toMatchObject({ sub: 'u', name: 'Alice', aud: 'app' });
    client.destroy();
  });

  it('checkSession rejects with the error a failed restore left without a session', async () => {
    const { client } = offlineClient({ claims: { name: 'Alice' } }, noAnswer);
    await expect(client.checkSession()).resolves.toBeUndefined();
    expect(client.getSnapshot().status).toBe('unauthenticated');
    const broken = offlineClient({ refresh_tokens: { '': 'rt' } }, noAnswer).client;
    const failure = broken.checkSession();
    await expect(failure).rejects.toMatchObject({ code: 'network_error' });
    expect(broken.getSnapshot()).toMatchObject({ status: 'error', error: await failure.catch((e) => e) });
    client.destroy();
    broken.destroy();
  });
});

describe('the client’s tab coordination', () => {
  it('is closed on destroy', () => {
    let closed = 0;
    const { client } = offlineClient({}, noAnswer, {
      tabs: () => ({ post: () => undefined, withLock: (task) => task(false), close: () => void closed++ }),
    });
    expect(closed).toBe(0);
    client.destroy();
    expect(closed).toBe(1);
  });
});
