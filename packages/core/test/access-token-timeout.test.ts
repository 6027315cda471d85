import { describe, expect, it } from 'vitest';
import { TimeoutError } from '../src/index.js';
import { manualTimers, offlineClient } from './support.js';

/** A stored session with only a refresh token, and a token endpoint that answers when told. */
function refreshingClient() {
  const clock = manualTimers();
  let answer: (response: Response) => void = () => undefined;
  const { client, requests } = offlineClient(
    { claims: {}, refresh_tokens: { '': 'rt' } },
    () => new Promise<Response>((resolve) => (answer = resolve)),
    { useRefreshTokens: true, environment: { timers: clock.timers } },
  );
  const respond = () =>
    answer(Response.json({ access_token: 'fresh', token_type: 'Bearer', expires_in: 300, scope: 'openid' }));
  return { client, clock, requests, respond };
}

describe('getAccessToken({ timeoutInSeconds })', () => {
  it('rejects with a TimeoutError naming the seconds once that many have passed', async () => {
    const { client, clock, requests } = refreshingClient();
    const attempt = client.getAccessToken({ timeoutInSeconds: 2 });
    await expect.poll(() => requests.length).toBe(1);
    const [timer] = clock.withDelay(2000);
    expect(timer).toBeDefined();
    clock.fire(timer!);
    await expect(attempt).rejects.toBeInstanceOf(TimeoutError);
    await expect(attempt).rejects.toThrow('no access token within 2s');
    client.destroy();
  });

  it('gives the token that came in time and clears its timer', async () => {
    const { client, clock, requests, respond } = refreshingClient();
    const attempt = client.getAccessToken({ timeoutInSeconds: 2 });
    await expect.poll(() => requests.length).toBe(1);
    expect(clock.withDelay(2000)).toHaveLength(1);
    respond();
    await expect(attempt).resolves.toBe('fresh');
    expect(clock.withDelay(2000)).toEqual([]);
    client.destroy();
  });

  it.each([0, -1, Number.NaN, Infinity, 2 ** 31 / 1000])(
    'refuses %d seconds with a TypeError, asking nothing',
    async (seconds) => {
      const { client, requests } = refreshingClient();
      const attempt = client.getAccessToken({ timeoutInSeconds: seconds });
      await expect(attempt).rejects.toBeInstanceOf(TypeError);
      await expect(attempt).rejects.toThrow('timeoutInSeconds must be a number of seconds > 0 and < 2^31 ms');
      expect(requests).toEqual([]);
      client.destroy();
    },
  );
});
