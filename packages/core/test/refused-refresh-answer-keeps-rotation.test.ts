import { describe, expect, it } from 'vitest';
import { InvalidResponseError } from '../src/index.js';
import { offlineRefreshing } from './support.js';

const SESSION_KEY = 'grantflow.app.session';

/**
 * Signed in at page load with refresh token `rt1`; the first refresh is answered 200 with `first` (which
 * the client refuses), every later one with a good answer rotating to `rt3`.
 */
async function refreshAnsweredWith(first: Record<string, unknown>, status = 200) {
  const good = { access_token: 'at3', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt3' };
  const { client, storage, spent } = offlineRefreshing({}, (request) =>
    request === 1 ? Response.json(first, { status }) : Response.json(good),
  );
  await client.checkSession();
  const stored = JSON.parse(String(await storage.get(SESSION_KEY))) as Record<string, unknown>;
  const refused = await client.getAccessToken({ cacheMode: 'off' }).catch((error: unknown) => error);
  const after = JSON.parse(String(await storage.get(SESSION_KEY))) as Record<string, unknown>;
  return { client, stored, refused, after, spent };
}

const ROTATING = { access_token: 'at2', token_type: 'Bearer', expires_in: 600, refresh_token: 'rt2' };

// RFC 9700 §4.14.2: a server that rotates has taken `rt1` back once it answers; spending it again would
// look like reuse, and such a server ends the whole session.
describe('a refresh answer refused as malformed that rotated the refresh token', () => {
  it.each([
    ['a token type it never asked for', { ...ROTATING, token_type: 'mac' }, 'token_type'],
    ['a negative lifetime', { ...ROTATING, expires_in: -5 }, 'expires_in'],
    ['no access token', { ...ROTATING, access_token: undefined }, 'access_token'],
  ])(
    'with %s: refused (invalid_response), only the rotated refresh token kept, the next refresh spends it',
    async (_name, answer, field) => {
      const { client, stored, refused, after, spent } = await refreshAnsweredWith(answer);
      expect(refused).toBeInstanceOf(InvalidResponseError);
      expect(refused).toMatchObject({ message: `token response: bad ${field}` });
      expect(after).toEqual({ ...stored, refresh_tokens: { '': 'rt2' } });
      expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: refused });
      expect(await client.getAccessToken({ cacheMode: 'off' })).toBe('at3');
      expect(spent).toEqual(['rt1', 'rt2']);
      client.destroy();
    },
  );

  it('keeps the stored refresh token when the refused answer carries none it could use', async () => {
    for (const refresh_token of [undefined, '', 42]) {
      const { client, stored, refused, after, spent } = await refreshAnsweredWith({
        ...ROTATING,
        token_type: 'mac',
        refresh_token,
      });
      expect(refused).toBeInstanceOf(InvalidResponseError);
      expect(after).toEqual(stored);
      await client.getAccessToken({ cacheMode: 'off' });
      expect(spent).toEqual(['rt1', 'rt1']);
      client.destroy();
    }
  });

  it('keeps nothing of an error answer, whatever it carries (only a success rotates)', async () => {
    const { client, stored, after, spent } = await refreshAnsweredWith(
      { ...ROTATING, error: 'temporarily_unavailable' },
      503,
    );
    expect(after).toEqual(stored);
    await client.getAccessToken({ cacheMode: 'off' });
    expect(spent).toEqual(['rt1', 'rt1']);
    client.destroy();
  });

  it('names no token in the error the app sees', async () => {
    const { client, refused } = await refreshAnsweredWith({ ...ROTATING, token_type: 'mac' });
    expect(JSON.stringify(refused)).not.toContain('rt2');
    expect(Object.values(refused as object)).not.toContain('rt2');
    client.destroy();
  });
});
