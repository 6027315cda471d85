import { describe, expect, it } from 'vitest';
import { StateMismatchError, type AuthClient, type AuthSnapshot } from '../src/index.js';
import { OFFLINE_NOW, OFFLINE_TOKEN_KEY, offlineClient } from './support.js';

const serverDown = () => Promise.resolve(new Response('<h1>Service Unavailable</h1>', { status: 503 }));
const STORED_SESSION = {
  claims: { name: 'Alice' },
  tokens: { [OFFLINE_TOKEN_KEY]: { access_token: 'at', expires_at: OFFLINE_NOW + 300_000, scope: 'openid' } },
};

/** Every snapshot the client's subscribers are told about from now on. */
function recorded(client: AuthClient): AuthSnapshot[] {
  const seen: AuthSnapshot[] = [];
  client.subscribe((snapshot) => seen.push(snapshot));
  return seen;
}

const callbackWith = (state: string) => `https://app.example/callback?code=c0de&state=${state}`;

const statusesOf = (seen: AuthSnapshot[]) =>
  seen.map(({ status, isAuthenticated }) => ({ status, isAuthenticated }));

describe('a callback that fails tells subscribers once, and never shows a session as gone', () => {
  it('on a page load, an unknown state restores the stored session first, then adds the error', async () => {
    const { client } = offlineClient(STORED_SESSION, serverDown);
    const seen = recorded(client);
    const attempt = client.handleRedirectCallback(callbackWith('never-issued'));
    await expect(attempt).rejects.toBeInstanceOf(StateMismatchError);
    expect(statusesOf(seen)).toEqual([
      { status: 'checking', isAuthenticated: false },
      { status: 'authenticated', isAuthenticated: true },
      { status: 'authenticated', isAuthenticated: true },
    ]);
    expect(seen.at(-1)).toMatchObject({ user: { name: 'Alice' }, error: { code: 'state_mismatch' } });
    client.destroy();
  });

  it('on a page load with nothing stored, an unknown state ends as the error after one check', async () => {
    const { client } = offlineClient({}, serverDown);
    const seen = recorded(client);
    await expect(client.handleRedirectCallback(callbackWith('never-issued'))).rejects.toMatchObject({
      code: 'state_mismatch',
    });
    expect(seen.map(({ status }) => status)).toEqual(['checking', 'unauthenticated', 'error']);
    expect(seen.at(-1)?.error).toMatchObject({ code: 'state_mismatch', message: 'unknown state' });
    client.destroy();
  });

  it('in a signed-in tab, an unknown state is one notification: the same session, with the error', async () => {
    const { client } = offlineClient(STORED_SESSION, serverDown);
    await client.checkSession();
    const seen = recorded(client);
    await expect(client.handleRedirectCallback(callbackWith('never-issued'))).rejects.toMatchObject({
      code: 'state_mismatch',
    });
    expect(statusesOf(seen)).toEqual([{ status: 'authenticated', isAuthenticated: true }]);
    expect(seen[0]).toMatchObject({ user: { name: 'Alice' }, error: { code: 'state_mismatch' } });
    client.destroy();
  });

  it('in a signed-in tab, a code exchange the server fails shows exchanging, then the session with the error', async () => {
    const { client, requests } = offlineClient(STORED_SESSION, serverDown);
    await client.checkSession();
    const state = new URL(await client.buildAuthorizeUrl()).searchParams.get('state')!;
    const seen = recorded(client);
    const attempt = client.handleRedirectCallback(callbackWith(state));
    await expect(attempt).rejects.toMatchObject({ status: 503 });
    expect(requests).toEqual(['https://idp.example/token']);
    expect(statusesOf(seen)).toEqual([
      { status: 'exchanging', isAuthenticated: true },
      { status: 'authenticated', isAuthenticated: true },
    ]);
    expect(seen.at(-1)).toMatchObject({ user: { name: 'Alice' }, error: { status: 503 } });
    client.destroy();
  });
});
