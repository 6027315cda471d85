import { describe, expect, it } from 'vitest';
import { automaticRenewal } from '../src/automatic-renewal.js';
import { fakeHost, LEEWAY } from './renewal-host.js';
import { manualTimers } from './support.js';

/** A client stand-in on a clock the test moves, with timers that run only when the test fires them. */
function onManualClock(ttl?: number) {
  const clock = manualTimers();
  const { withDelay, delays, fire } = clock;
  const fake = fakeHost(ttl, clock);
  /** Fires the timers set for `ms`, and lets the renewals they start finish. */
  const fireAfter = async (ms: number) => {
    withDelay(ms).forEach(fire);
    await new Promise((resolve) => setImmediate(resolve));
  };
  const notify = () => fake.listeners.forEach((listener) => listener());
  return { fake, clock, withDelay, delays, fireAfter, notify };
}

describe('automatic renewal timing', () => {
  it('keeps spacing the renewals of a token that lives no longer than the leeway, though another call renewed it', async () => {
    const { fake, clock, withDelay, delays, fireAfter, notify } = onManualClock(5_000);
    automaticRenewal()(fake.host);
    expect(delays()).toEqual([0]);
    await fireAfter(0);
    expect(fake.state.renewals).toBe(1);
    const [next] = withDelay(5_000);
    clock.set(clock.now() + 1_000);
    // The app's own getAccessToken() renewed it meanwhile: the store tells of the new token.
    fake.state.accessTokenExpiresAt = clock.now() + 5_000;
    notify();
    // Spaced from the new token: neither at once nor by the timer set before it came.
    expect(delays()).toEqual([5_000]);
    expect(withDelay(5_000)).not.toContain(next);
    clock.set(clock.now() + 5_000);
    await fireAfter(5_000);
    expect(fake.state.renewals).toBe(2);
  });

  it('renews on waking at the very moment the client stops handing the token out', async () => {
    const { fake, clock, delays, fireAfter } = onManualClock();
    automaticRenewal()(fake.host);
    // Asleep until exactly `leeway` seconds before expiry: the timer has not fired.
    clock.set(fake.state.accessTokenExpiresAt! - LEEWAY * 1000);
    fake.wakeUp();
    expect(delays()).toEqual([0]);
    await fireAfter(0);
    expect(fake.state.renewals).toBe(1);
  });

  it('waits for a token that lives longer than a timer can (24.8 days) in steps, renewing only when due', async () => {
    const day = 86_400_000;
    const { fake, clock, delays, fireAfter } = onManualClock(30 * day);
    automaticRenewal()(fake.host);
    const longest = 2 ** 31 - 1;
    expect(delays()).toEqual([longest]);
    clock.set(clock.now() + longest);
    await fireAfter(longest);
    expect(fake.state.renewals).toBe(0);
    expect(delays()).toEqual([30 * day - LEEWAY * 1000 - longest]);
  });

  it('leaves a token of unknown expiry alone when the page wakes up', () => {
    const { fake, clock, delays } = onManualClock();
    fake.state.accessTokenExpiresAt = undefined;
    const events: unknown[] = [];
    automaticRenewal()(fake.host).subscribe((event) => events.push(event));
    clock.set(clock.now() + 60_000);
    fake.wakeUp();
    // No timer pending: nothing will ever renew it.
    expect([fake.state.renewals, events, delays()]).toEqual([0, [], []]);
  });
});
