import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { automaticRenewal } from '../src/automatic-renewal.js';
import { fakeHost, LEEWAY } from './renewal-host.js';

const notify = (fake: ReturnType<typeof fakeHost>) => fake.listeners.forEach((listener) => listener());

describe('automatic renewal timing', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('keeps spacing the renewals of a token that lives no longer than the leeway, though another call renewed it', async () => {
    const fake = fakeHost(5_000);
    automaticRenewal()(fake.host);
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.state.renewals).toBe(1);
    await vi.advanceTimersByTimeAsync(1_000);
    // The app's own getAccessToken() renewed it meanwhile: the store tells of the new token.
    fake.state.accessTokenExpiresAt = Date.now() + 5_000;
    notify(fake);
    await vi.advanceTimersByTimeAsync(4_900);
    expect(fake.state.renewals).toBe(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(fake.state.renewals).toBe(2);
  });

  it('renews on waking at the very moment the client stops handing the token out', async () => {
    const fake = fakeHost();
    automaticRenewal()(fake.host);
    // Asleep until exactly `leeway` seconds before expiry: the timer has not fired.
    vi.setSystemTime(fake.state.accessTokenExpiresAt! - LEEWAY * 1000);
    fake.wakeUp();
    await vi.advanceTimersByTimeAsync(0);
    expect(fake.state.renewals).toBe(1);
  });

  it('leaves a token of unknown expiry alone when the page wakes up', async () => {
    const fake = fakeHost();
    fake.state.accessTokenExpiresAt = undefined;
    const events: unknown[] = [];
    automaticRenewal()(fake.host).subscribe((event) => events.push(event));
    fake.wakeUp();
    await vi.advanceTimersByTimeAsync(60_000);
    expect([fake.state.renewals, events]).toEqual([0, []]);
  });
});
