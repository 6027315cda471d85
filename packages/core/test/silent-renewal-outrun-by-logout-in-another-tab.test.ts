import { describe, expect, it } from 'vitest';
import { LoginRequiredError, silentAuthorization } from '../src/index.js';
import type { StorageAdapter } from '../src/storage.js';
import { OFFLINE_NOW, offlineClient, offlineIdToken } from './support.js';

const SESSION_KEY = 'grantflow.app.session';

/**
 * A session stored where the app's tabs share it (no tabs module, so no message tells this tab), renewed
 * without refresh tokens by silent authorization; while that renewal is out, another tab changes the
 * storage (`otherTab`). The provider's session is `u`'s.
 */
async function silentRenewalOutrunBy(otherTab: (shared: StorageAdapter) => void) {
  let nonce = '';
  const transport = async ({ url, redirectUri }: { url: string; redirectUri: string }) => {
    const request = new URL(url).searchParams;
    nonce = request.get('nonce')!;
    otherTab(storage);
    return `${redirectUri}?code=c&state=${request.get('state')}`;
  };
  const answer = async () =>
    Response.json({
      access_token: 'silent',
      token_type: 'Bearer',
      expires_in: 300,
      id_token: offlineIdToken({ nonce }),
    });
  const { client, storage } = offlineClient({ claims: {} }, answer, {
    silentAuthorization: silentAuthorization(transport),
    environment: { locks: undefined },
  });
  const outcome = await client.getAccessToken().catch((error: unknown) => error);
  return { client, storage, outcome };
}

const otherSession = JSON.stringify({
  claims: {
    iss: 'https://idp.example/',
    sub: 'v',
    aud: 'app',
    iat: OFFLINE_NOW / 1000,
    exp: OFFLINE_NOW / 1000 + 60,
  },
  refresh_tokens: {},
  tokens: { ' email openid profile': { access_token: 'v', expires_at: OFFLINE_NOW + 300_000 } },
});

describe('a silent renewal answered after another tab logged out over the shared storage', () => {
  it('brings nothing back: the session stays ended there and here', async () => {
    const { client, storage, outcome } = await silentRenewalOutrunBy((shared) => shared.remove(SESSION_KEY));
    expect(outcome).toBeInstanceOf(LoginRequiredError);
    expect(outcome).toMatchObject({ message: 'logged out meanwhile' });
    expect(storage.get(SESSION_KEY)).toBeUndefined();
    expect(client.getSnapshot().isAuthenticated).toBe(false);
    client.destroy();
  });

  it('leaves the session of someone who signed in there meanwhile as it is, and shows it', async () => {
    const { client, storage, outcome } = await silentRenewalOutrunBy((shared) =>
      shared.set(SESSION_KEY, otherSession),
    );
    expect(outcome).toMatchObject({ message: 'signed in anew meanwhile' });
    expect(storage.get(SESSION_KEY)).toBe(otherSession);
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', user: { sub: 'v' } });
    client.destroy();
  });

  it('is stored as usual when nothing happened meanwhile', async () => {
    const { client, storage, outcome } = await silentRenewalOutrunBy(() => undefined);
    expect(outcome).toBe('silent');
    expect(JSON.parse(storage.get(SESSION_KEY) as string)).toMatchObject({ claims: { sub: 'u' } });
    client.destroy();
  });
});
