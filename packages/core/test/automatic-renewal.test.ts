import { describe, expect, it } from 'vitest';
import { automaticRenewal, wakeEvents, type RenewalEvent } from '../src/automatic-renewal.js';
import { InvalidResponseError, NetworkError } from '../src/errors.js';
import type { MessageEventLike } from '../src/popup.js';
import { fakeHost, LEEWAY } from './renewal-host.js';

describe('automaticRenewal', () => {
  function start(fake: ReturnType<typeof fakeHost>) {
    const events: RenewalEvent[] = [];
    const controller = automaticRenewal({ minRetryDelay: 1000, maxRetryDelay: 8000 })(fake.host);
    controller.subscribe((event) => events.push(event));
    return { events, controller };
  }

  it('renews when the leeway starts, and again for each new token', async () => {
    const fake = fakeHost();
    const { events } = start(fake);
    await fake.clock.advance(49_000);
    expect(fake.state.renewals).toBe(0);
    await fake.clock.advance(1_100);
    expect(fake.state.renewals).toBe(1);
    expect(events).toEqual([{ type: 'renewed', expiresAt: fake.state.accessTokenExpiresAt }]);
    await fake.clock.advance(50_100);
    expect(fake.state.renewals).toBe(2);
  });

  it('backs off after failures and recovers by itself when the server is back', async () => {
    const fake = fakeHost();
    const { events } = start(fake);
    fake.state.down = new NetworkError('offline');
    await fake.clock.advance(50_100);
    expect(fake.state.renewals).toBe(1);
    expect(events[0]).toMatchObject({ type: 'renew_failed', retryAt: expect.any(Number) });
    expect((events[0] as { error: unknown }).error).toBeInstanceOf(NetworkError);
    await fake.clock.advance(1_000); // 1 s
    await fake.clock.advance(2_000); // 2 s
    await fake.clock.advance(4_000); // 4 s
    expect(fake.state.renewals).toBe(4);
    await fake.clock.advance(8_000); // capped at 8 s
    await fake.clock.advance(8_000);
    expect(fake.state.renewals).toBe(6);
    fake.state.down = false;
    await fake.clock.advance(8_000);
    expect(fake.state.renewals).toBe(7);
    expect(events.at(-1)).toEqual({ type: 'renewed', expiresAt: fake.state.accessTokenExpiresAt });
    await fake.clock.advance(30_000);
    expect(fake.state.renewals).toBe(7);
  });

  it('retries at once when the page wakes up after a failure or past the leeway', async () => {
    const fake = fakeHost();
    start(fake);
    fake.wakeUp();
    await fake.clock.advance(0);
    expect(fake.state.renewals).toBe(0);
    fake.state.down = new InvalidResponseError('502', 502);
    await fake.clock.advance(50_100);
    fake.state.down = false;
    fake.wakeUp();
    await fake.clock.advance(0);
    expect(fake.state.renewals).toBe(2);
  });

  it('stops while signed out, and starts again for the next session', async () => {
    const fake = fakeHost();
    start(fake);
    fake.signOut();
    await fake.clock.advance(120_000);
    expect(fake.state.renewals).toBe(0);
    fake.state.isAuthenticated = true;
    fake.state.accessTokenExpiresAt = fake.clock.now() + 60_000;
    fake.listeners.forEach((listener) => listener());
    await fake.clock.advance(50_100);
    expect(fake.state.renewals).toBe(1);
  });

  it('gives up when a failure ended the session', async () => {
    const fake = fakeHost();
    const { events } = start(fake);
    fake.state.down = new NetworkError('x');
    fake.host.renew = async () => {
      fake.state.renewals += 1;
      fake.signOut();
      throw new NetworkError('refresh token rejected');
    };
    await fake.clock.advance(50_100);
    expect(events.at(-1)).toMatchObject({ type: 'renew_failed', retryAt: undefined });
    await fake.clock.advance(60_000);
    expect(fake.state.renewals).toBe(1);
  });

  it('does not renew without pause a token that lives no longer than the leeway', async () => {
    const fake = fakeHost(5_000);
    start(fake);
    await fake.clock.advance(0);
    expect(fake.state.renewals).toBe(1);
    await fake.clock.advance(4_900);
    expect(fake.state.renewals).toBe(1);
    await fake.clock.advance(200);
    expect(fake.state.renewals).toBe(2);
  });

  it('stop() ends timers and subscriptions', async () => {
    const fake = fakeHost();
    const { controller } = start(fake);
    controller.stop();
    expect(fake.listeners.size).toBe(0);
    await fake.clock.advance(120_000);
    expect(fake.state.renewals).toBe(0);
  });

  it('retries first after 1 s and backs off to 30 s by default, saying when', async () => {
    const fake = fakeHost();
    const due = fake.clock.now() + 50_000;
    const events: RenewalEvent[] = [];
    automaticRenewal()(fake.host).subscribe((event) => events.push(event));
    fake.state.down = new NetworkError('offline');
    await fake.clock.advance(50_000);
    expect(events).toEqual([{ type: 'renew_failed', error: fake.state.down, retryAt: due + 1000 }]);
    await fake.clock.advance(999);
    expect(fake.state.renewals).toBe(1);
    await fake.clock.advance(1);
    expect(fake.state.renewals).toBe(2);
    // 2, 4, 8, 16 s, then capped at 30 s
    await fake.clock.advance(2_000 + 4_000 + 8_000 + 16_000);
    expect(fake.state.renewals).toBe(6);
    expect(events.at(-1)).toMatchObject({ retryAt: fake.clock.now() + 30_000 });
  });

  it('reports a foreign failure as the typed error core uses for the unexpected, carrying it', async () => {
    const fake = fakeHost();
    const { events } = start(fake);
    const cause = new RangeError('a bug, not the network');
    fake.state.down = cause;
    await fake.clock.advance(50_100);
    expect(events).toEqual([
      { type: 'renew_failed', error: expect.any(InvalidResponseError), retryAt: expect.any(Number) },
    ]);
    expect(events[0]).toMatchObject({ error: { message: 'a bug, not the network', cause } });
  });

  it('moves its timer when another call renewed the token first', async () => {
    const fake = fakeHost();
    start(fake);
    await fake.clock.advance(20_000);
    fake.state.accessTokenExpiresAt = fake.clock.now() + 60_000;
    fake.listeners.forEach((listener) => listener());
    await fake.clock.advance(49_000);
    expect(fake.state.renewals).toBe(0);
    await fake.clock.advance(1_100);
    expect(fake.state.renewals).toBe(1);
  });

  it('waits while signed in without an access token expiry to judge', async () => {
    const fake = fakeHost();
    fake.state.accessTokenExpiresAt = undefined;
    start(fake);
    await fake.clock.advance(120_000);
    expect(fake.state.renewals).toBe(0);
  });

  it('tells a listener nothing once it unsubscribed, and nobody once stopped, even a renewal under way', async () => {
    const fake = fakeHost();
    const controller = automaticRenewal()(fake.host);
    const early: RenewalEvent[] = [];
    const late: RenewalEvent[] = [];
    const unsubscribe = controller.subscribe((event) => early.push(event));
    controller.subscribe((event) => late.push(event));
    unsubscribe();
    await fake.clock.advance(50_100);
    expect([early.length, late.length]).toEqual([0, 1]);
    let finish = () => undefined as void;
    fake.host.renew = () => {
      fake.state.renewals += 1;
      return new Promise<void>((resolve) => (finish = resolve));
    };
    await fake.clock.advance(50_100);
    expect(fake.state.renewals).toBe(2);
    controller.stop();
    finish();
    await fake.clock.advance(0);
    expect([early.length, late.length]).toEqual([0, 1]);
  });

  it('renews at once on waking from a sleep that ran into the leeway, though no timer fired', async () => {
    const fake = fakeHost();
    start(fake);
    // A sleeping laptop: the clock moves on, the timers do not run.
    fake.clock.set(fake.clock.now() + 55_000);
    fake.wakeUp();
    await fake.clock.advance(0);
    expect(fake.state.renewals).toBe(1);
  });

  it('keeps backing off when the store tells of a change that brings no new token', async () => {
    const fake = fakeHost();
    start(fake);
    fake.state.down = new NetworkError('offline');
    await fake.clock.advance(50_100);
    expect(fake.state.renewals).toBe(1);
    fake.listeners.forEach((listener) => listener());
    await fake.clock.advance(500);
    expect(fake.state.renewals).toBe(1);
    await fake.clock.advance(600);
    expect(fake.state.renewals).toBe(2);
  });

  it('renews a short-lived token of a new session at once, whatever the last session renewed', async () => {
    const fake = fakeHost(5_000);
    start(fake);
    await fake.clock.advance(0);
    expect(fake.state.renewals).toBe(1);
    fake.signOut();
    fake.state.isAuthenticated = true;
    fake.state.accessTokenExpiresAt = fake.clock.now() + 5_000;
    fake.listeners.forEach((listener) => listener());
    await fake.clock.advance(0);
    expect(fake.state.renewals).toBe(2);
  });

  it('never runs two renewals at once, though the page wakes up during one', async () => {
    const fake = fakeHost();
    const { events } = start(fake);
    let finish = () => undefined as void;
    fake.host.renew = () => {
      fake.state.renewals += 1;
      return new Promise<void>((resolve) => (finish = resolve));
    };
    await fake.clock.advance(50_100);
    expect(fake.state.renewals).toBe(1);
    fake.wakeUp();
    await fake.clock.advance(0);
    expect(fake.state.renewals).toBe(1);
    finish();
    await fake.clock.advance(0);
    expect(events).toEqual([{ type: 'renewed', expiresAt: fake.state.accessTokenExpiresAt }]);
  });
  it("listens to the window's online and focus events by default, and stops listening at stop()", async () => {
    const fake = fakeHost();
    const handlers = new Map<string, (event: MessageEventLike) => void>();
    const event: MessageEventLike = { origin: '', source: null, data: undefined };
    const { onWake: _injected, ...withoutWake } = fake.host;
    const controller = automaticRenewal()({
      ...withoutWake,
      window: {
        addEventListener: (type: string, listener: (event: MessageEventLike) => void) =>
          void handlers.set(type, listener),
        removeEventListener: (type: string) => void handlers.delete(type),
      },
    });
    expect([...handlers.keys()].sort()).toEqual(['focus', 'online']);
    fake.state.accessTokenExpiresAt = fake.clock.now();
    handlers.get('online')!(event);
    await fake.clock.advance(0);
    expect(fake.state.renewals).toBe(1);
    fake.state.accessTokenExpiresAt = fake.clock.now();
    handlers.get('focus')!(event);
    await fake.clock.advance(0);
    expect(fake.state.renewals).toBe(2);
    controller.stop();
    expect(handlers.size).toBe(0);
  });
});

describe('automaticRenewal options', () => {
  // 0 or NaN made every retry immediate: while the IdP is down, a flood of requests with no pause.
  it.each([
    ['minRetryDelay', 0],
    ['minRetryDelay', Number.NaN],
    ['maxRetryDelay', -1],
    ['maxRetryDelay', Infinity],
    ['minRetryDelay', 2 ** 31],
    ['minRetryDelay', '1000'],
  ])('refuses %s: %o when made, naming it', (name, value) => {
    expect(() => automaticRenewal({ [name]: value })).toThrow(
      new TypeError(`automaticRenewal(): ${name} must be a number of ms > 0 and < 2^31`),
    );
  });
});

describe('automaticRenewal retry bounds', () => {
  it('never retries sooner than minRetryDelay, even when it is above the default maximum', async () => {
    const fake = fakeHost();
    automaticRenewal({ minRetryDelay: 60_000 })(fake.host);
    fake.state.down = new NetworkError('offline');
    await fake.clock.advance(50_100);
    expect(fake.state.renewals).toBe(1);
    await fake.clock.advance(59_000);
    expect(fake.state.renewals).toBe(1);
    await fake.clock.advance(1_000);
    expect(fake.state.renewals).toBe(2);
  });

  it('retries every maxRetryDelay when that alone is given below the default minimum', async () => {
    const fake = fakeHost();
    automaticRenewal({ maxRetryDelay: 500 })(fake.host);
    fake.state.down = new NetworkError('offline');
    await fake.clock.advance(50_100);
    expect(fake.state.renewals).toBe(1);
    await fake.clock.advance(500);
    await fake.clock.advance(500);
    expect(fake.state.renewals).toBe(3);
  });

  it('refuses a minRetryDelay above maxRetryDelay when made', () => {
    expect(() => automaticRenewal({ minRetryDelay: 10_000, maxRetryDelay: 5_000 })).toThrow(
      new TypeError('automaticRenewal(): minRetryDelay must not exceed maxRetryDelay'),
    );
  });
});

describe('wakeEvents', () => {
  it("listens to the window's online and focus events until unsubscribed", () => {
    const listening = new Map<string, unknown>();
    const window = {
      addEventListener: (type: string, listener: unknown) => void listening.set(type, listener),
      removeEventListener: (type: string, listener: unknown) => {
        if (listening.get(type) === listener) listening.delete(type);
      },
    };
    const listener = () => undefined;
    const unsubscribe = wakeEvents(window)!(listener);
    expect([...listening]).toEqual([
      ['online', listener],
      ['focus', listener],
    ]);
    unsubscribe();
    expect(listening.size).toBe(0);
  });

  it('is absent without a window', () => {
    expect(wakeEvents(undefined)).toBeUndefined();
  });
});

describe('automaticRenewal with timers that fire early', () => {
  it('waits when its timer fires early instead of reporting a token that was not renewed', async () => {
    const fake = fakeHost();
    // Timers that fire 5 ms before they are due, as real ones may.
    const { timers } = fake.clock;
    fake.host.timers = {
      setTimeout: (callback, ms) => timers.setTimeout(callback, Math.max(0, ms - 5)),
      clearTimeout: timers.clearTimeout,
    };
    fake.host.renew = async () => {
      // The client hands out the cached token while it is fresh: nothing is renewed then.
      const { accessTokenExpiresAt } = fake.host.session();
      if (accessTokenExpiresAt! - LEEWAY * 1000 > fake.clock.now()) return;
      fake.state.renewals += 1;
      fake.state.accessTokenExpiresAt = fake.clock.now() + 60_000;
      fake.listeners.forEach((listener) => listener());
    };
    const events: RenewalEvent[] = [];
    automaticRenewal()(fake.host).subscribe((event) => events.push(event));
    await fake.clock.advance(50_100);
    expect(fake.state.renewals).toBe(1);
    expect(events).toEqual([{ type: 'renewed', expiresAt: fake.state.accessTokenExpiresAt }]);
  });
});
