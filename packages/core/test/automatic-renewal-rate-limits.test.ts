import { describe, expect, it, vi } from 'vitest';
import { automaticRenewal, type RenewalEvent } from '../src/automatic-renewal.js';
import { OAuthError } from '../src/errors.js';
import { MfaRequiredError } from '../src/mfa.js';
import { manualTimers, OFFLINE_ISSUER, OFFLINE_NOW, offlineClient } from './support.js';

const tokens = (access_token: string, refresh_token: string) =>
  Response.json({ access_token, token_type: 'Bearer', expires_in: 600, refresh_token });
/** When the renewal timer of a 600 s token is due: the default leeway (60 s) before expiry. */
const DUE = 540_000;

/**
 * A client with automatic renewal, signed in at page load (refresh token `rt1`, rotated to `rt2`); its
 * token endpoint gives `answers` in turn. Its clock moves and its timers fire only when the test says.
 */
async function renewingClient(answers: Response[]) {
  const clock = { now: OFFLINE_NOW };
  const { timers, withDelay, delays, fire } = manualTimers();
  const queue = [tokens('at1', 'rt2'), ...answers];
  const { client } = offlineClient(
    { claims: {}, refresh_tokens: { '': 'rt1' } },
    async (url) => (url === `${OFFLINE_ISSUER}token` ? queue.shift()! : Response.error()),
    { useRefreshTokens: true, renewal: automaticRenewal(), now: () => clock.now, environment: { timers } },
  );
  const events: RenewalEvent[] = [];
  client.onRenewal((event) => events.push(event));
  await client.checkSession();
  /** Moves the clock `ms` on and fires the timers set for `ms`; resolves once the renewal told of itself. */
  const after = async (ms: number) => {
    const told = events.length;
    clock.now += ms;
    withDelay(ms).forEach(fire);
    await vi.waitFor(() => expect(events.length).toBe(told + 1));
    return events.at(-1)!;
  };
  return { client, clock, delays, after };
}

describe('automatic renewal through the client, against a token endpoint that limits or refuses', () => {
  it('waits as long as a 429 with Retry-After asks, keeping the session, then renews', async () => {
    const limited = Response.json(
      { error: 'too_many_requests', error_description: 'Global limit has been reached' },
      { status: 429, headers: { 'retry-after': '120' } },
    );
    const { client, clock, delays, after } = await renewingClient([limited, tokens('at2', 'rt3')]);
    expect(delays()).toEqual([DUE]);
    const failure = await after(DUE);
    expect(failure).toEqual({
      type: 'renew_failed',
      error: expect.any(OAuthError),
      retryAt: clock.now + 120_000,
    });
    const { error } = failure as Extract<RenewalEvent, { type: 'renew_failed' }>;
    expect(error).toMatchObject({ status: 429, retryAfter: 120 });
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error });
    expect(delays()).toEqual([120_000]);
    expect(await after(120_000)).toEqual({ type: 'renewed', expiresAt: clock.now + 600_000 });
    client.destroy();
  });

  it('stops after mfa_required, the session kept, until a new token comes', async () => {
    const mfa = Response.json({ error: 'mfa_required', mfa_token: 'm' }, { status: 403 });
    const { client, clock, delays, after } = await renewingClient([mfa, tokens('at2', 'rt3')]);
    const failure = await after(DUE);
    expect(failure).toEqual({
      type: 'renew_failed',
      error: expect.any(MfaRequiredError),
      retryAt: undefined,
    });
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', isAuthenticated: true });
    expect(delays()).toEqual([]);
    // The app got a new token (after the user's second factor, say): renewal follows it again.
    await expect(client.getAccessToken({ cacheMode: 'off' })).resolves.toBe('at2');
    expect(client.getSnapshot().accessTokenExpiresAt).toBe(clock.now + 600_000);
    expect(delays()).toEqual([DUE]);
    client.destroy();
  });
});
