import { describe, expect, it } from 'vitest';
import {
  automaticRenewal,
  type AutomaticRenewalOptions,
  type RenewalEvent,
} from '../src/automatic-renewal.js';
import { AuthorizationError, InvalidResponseError, NetworkError, OAuthError } from '../src/errors.js';
import { MfaRequiredError } from '../src/mfa.js';
import { fakeHost } from './renewal-host.js';

/** An error as the token endpoint builds it, with the wait its answer asked for. */
const hinted = <E extends Error>(error: E, retryAfter: number) => Object.assign(error, { retryAfter });
const tooManyRequests = (retryAfter: number) =>
  hinted(new OAuthError({ error: 'too_many_requests' }, 429), retryAfter);

/** Renewal of a fake client (its token due in 50 s) whose renewals fail with `error`; the events it tells. */
function failing(error: Error, options?: AutomaticRenewalOptions) {
  const fake = fakeHost();
  const events: RenewalEvent[] = [];
  automaticRenewal(options)(fake.host).subscribe((event) => events.push(event));
  fake.state.down = error;
  return { fake, events };
}

describe('automatic renewal after an answer a retry cannot change', () => {
  const refusals = [
    new MfaRequiredError({ error: 'mfa_required' }, 403, { mfa_token: 'm' }),
    new OAuthError({ error: 'invalid_client' }, 401),
    new OAuthError({ error: 'unauthorized_client' }, 403),
    new OAuthError({ error: 'invalid_scope' }, 400),
    // A silent authorization's answer (the hiddenIframe() module without a refresh token).
    new AuthorizationError({ error: 'consent_required' }),
    new AuthorizationError({ error: 'access_denied' }),
  ];

  it.each(refusals)('stops after $error, saying no retry is set', async (refusal) => {
    const { fake, events } = failing(refusal);
    await fake.clock.advance(50_000);
    expect(events).toEqual([{ type: 'renew_failed', error: refusal, retryAt: undefined }]);
    // Neither the backoff, nor the page waking long past the leeway, asks the server again.
    await fake.clock.advance(3_600_000);
    fake.wakeUp();
    await fake.clock.advance(60_000);
    expect(fake.state.renewals).toBe(1);
  });

  it('stays stopped when the store tells of the failure (the session kept, no new token)', async () => {
    const { fake } = failing(refusals[0]!);
    await fake.clock.advance(50_000);
    fake.listeners.forEach((listener) => listener());
    await fake.clock.advance(600_000);
    expect(fake.state.renewals).toBe(1);
  });

  it('starts again with the next token (a step-up sign-in, say), and with the next session', async () => {
    const { fake, events } = failing(refusals[0]!);
    await fake.clock.advance(50_000);
    fake.state.down = false;
    // The app signed the user in again with a second factor: a new token.
    fake.state.accessTokenExpiresAt = fake.clock.now() + 60_000;
    fake.listeners.forEach((listener) => listener());
    await fake.clock.advance(50_000);
    expect(fake.state.renewals).toBe(2);
    expect(events.at(-1)).toEqual({ type: 'renewed', expiresAt: fake.state.accessTokenExpiresAt });

    fake.state.down = refusals[1]!;
    await fake.clock.advance(50_000);
    expect(fake.state.renewals).toBe(3);
    fake.signOut();
    fake.state.down = false;
    fake.state.isAuthenticated = true;
    fake.state.accessTokenExpiresAt = fake.clock.now() + 60_000;
    fake.listeners.forEach((listener) => listener());
    await fake.clock.advance(50_000);
    expect(fake.state.renewals).toBe(4);
  });

  it.each([
    ['a 429 OAuth error', new OAuthError({ error: 'too_many_requests' }, 429)],
    ['a 500 OAuth error', new OAuthError({ error: 'server_error' }, 500)],
    ['a 503 page', new InvalidResponseError('token endpoint: HTTP 503', 503)],
    ['a malformed answer', new InvalidResponseError('token response: bad token_type')],
    // RFC 6749 §4.1.2.1's transient answers, and a DPoP nonce the server rotated again (RFC 9449 §8).
    ['a silent server_error', new AuthorizationError({ error: 'server_error' })],
    ['a silent temporarily_unavailable', new AuthorizationError({ error: 'temporarily_unavailable' })],
    ['a second use_dpop_nonce', new OAuthError({ error: 'use_dpop_nonce' }, 400)],
  ])('keeps retrying %s with backoff', async (_, error) => {
    const { fake, events } = failing(error);
    await fake.clock.advance(50_000);
    await fake.clock.advance(1_000 + 2_000);
    expect(fake.state.renewals).toBe(3);
    expect(events.at(-1)).toEqual({ type: 'renew_failed', error, retryAt: fake.clock.now() + 4_000 });
  });
});

describe('automatic renewal after a 429 or 503 that says when to come back', () => {
  it('waits at least as long as the answer asked, though the page wakes meanwhile', async () => {
    const { fake, events } = failing(tooManyRequests(120));
    await fake.clock.advance(50_000);
    expect(events).toEqual([
      { type: 'renew_failed', error: fake.state.down, retryAt: fake.clock.now() + 120_000 },
    ]);
    await fake.clock.advance(60_000);
    fake.wakeUp();
    await fake.clock.advance(59_999);
    expect(fake.state.renewals).toBe(1);
    fake.state.down = false;
    await fake.clock.advance(1);
    expect(fake.state.renewals).toBe(2);
    expect(events.at(-1)).toMatchObject({ type: 'renewed' });
  });

  it('takes the backoff when it is the longer wait, and a wake after the asked wait retries at once', async () => {
    const { fake, events } = failing(hinted(new InvalidResponseError('token endpoint: HTTP 503', 503), 2), {
      minRetryDelay: 5_000,
    });
    await fake.clock.advance(50_000);
    expect(events.at(-1)).toMatchObject({ retryAt: fake.clock.now() + 5_000 });
    await fake.clock.advance(2_000);
    fake.wakeUp();
    await fake.clock.advance(0);
    expect(fake.state.renewals).toBe(2);
  });

  it('holds back for 10 minutes at most, whatever the answer asked', async () => {
    const { fake, events } = failing(tooManyRequests(86_400));
    await fake.clock.advance(50_000);
    expect(events.at(-1)).toMatchObject({ retryAt: fake.clock.now() + 600_000 });
    await fake.clock.advance(600_000);
    expect(fake.state.renewals).toBe(2);
  });

  it('forgets the wait once a new token came: a wake after a sleep renews at once', async () => {
    const { fake } = failing(tooManyRequests(600));
    await fake.clock.advance(50_000);
    // The app's own call got a new token meanwhile.
    fake.state.down = false;
    fake.state.accessTokenExpiresAt = fake.clock.now() + 60_000;
    fake.listeners.forEach((listener) => listener());
    // The laptop sleeps past the token's expiry (no timer ran), then the page comes back.
    fake.clock.set(fake.clock.now() + 120_000);
    fake.wakeUp();
    await fake.clock.advance(1_000);
    expect(fake.state.renewals).toBe(2);
  });

  it('forgets the wait once a failure names none: back to the backoff, and a wake retries at once', async () => {
    const { fake, events } = failing(tooManyRequests(120));
    await fake.clock.advance(50_000);
    fake.state.down = new NetworkError('offline');
    await fake.clock.advance(120_000);
    expect(fake.state.renewals).toBe(2);
    expect(events.at(-1)).toMatchObject({ retryAt: fake.clock.now() + 2_000 });
    fake.wakeUp();
    await fake.clock.advance(0);
    expect(fake.state.renewals).toBe(3);
  });
});
