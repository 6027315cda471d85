import { describe, expect, it } from 'vitest';
import { silentAuthorization } from '../src/index.js';
import { offlineClient, offlineIdToken } from './support.js';

const PARAMS = { custom_param: 'hello', ui_locales: 'fr' };

/**
 * Auth0's `getTokenSilently({ authorizationParams })` sends the parameters beyond `audience` and `scope`
 * to the token endpoint with a refresh, and to the authorization endpoint with a silent authorization
 * (an Auth0 Action may read them); so do `getAccessToken` and `checkSession`.
 */
/** Signed in with refresh token `rt-1`; the token endpoint's request bodies are recorded in `forms`. */
function refreshingClient() {
  const forms: URLSearchParams[] = [];
  const { client } = offlineClient(
    { claims: {}, refresh_tokens: { '': 'rt-1' } },
    () => Promise.reject(new Error('unused')),
    {
      fetch: async (_url, init) => {
        forms.push(new URLSearchParams(init!.body as URLSearchParams));
        return Response.json({ access_token: 'at-2', token_type: 'Bearer', expires_in: 300 });
      },
    },
  );
  return { client, forms };
}

describe("a token call's further authorizationParams", () => {
  it('go with the refresh, beside what the protocol sends, which they cannot replace', async () => {
    const { client, forms } = refreshingClient();
    const token = await client.getAccessToken({
      cacheMode: 'off',
      authorizationParams: { ...PARAMS, grant_type: 'password', refresh_token: 'forged' },
    });
    expect(token).toBe('at-2');
    expect(Object.fromEntries(forms[0]!)).toMatchObject({
      ...PARAMS,
      grant_type: 'refresh_token',
      refresh_token: 'rt-1',
      client_id: 'app',
    });
    client.destroy();
  });

  it('go with the silent authorization', async () => {
    const asked: URLSearchParams[] = [];
    let nonce = '';
    const transport = async ({ url, redirectUri }: { url: string; redirectUri: string }) => {
      const request = new URL(url).searchParams;
      asked.push(request);
      nonce = request.get('nonce')!;
      return `${redirectUri}?code=c&state=${request.get('state')}`;
    };
    const { client } = offlineClient(
      { claims: {} },
      async () =>
        Response.json({
          access_token: 'silent',
          token_type: 'Bearer',
          expires_in: 300,
          id_token: offlineIdToken({ nonce }),
        }),
      { silentAuthorization: silentAuthorization(transport) },
    );
    await expect(client.getAccessToken({ authorizationParams: PARAMS })).resolves.toBe('silent');
    expect(Object.fromEntries(asked[0]!)).toMatchObject({ ...PARAMS, prompt: 'none' });
    await client.checkSession({ cacheMode: 'off', authorizationParams: { custom_param: 'again' } });
    expect(asked[1]!.get('custom_param')).toBe('again');
    client.destroy();
  });

  it('take numbers and booleans as the authorization request does, sent as strings', async () => {
    const { client, forms } = refreshingClient();
    await client.getAccessToken({ cacheMode: 'off', authorizationParams: { max_age: 3600, flag: true } });
    expect(Object.fromEntries(forms[0]!)).toMatchObject({ max_age: '3600', flag: 'true' });
    client.destroy();
  });

  it('must be strings, numbers or booleans: another value is a TypeError naming authorizationParams', async () => {
    const { client } = offlineClient({}, () => Promise.reject(new Error('unused')));
    for (const custom_param of [{}, ['a'], Number.NaN]) {
      await expect(client.getAccessToken({ authorizationParams: { custom_param } })).rejects.toThrow(
        new TypeError(
          'authorizationParams must be { audience?: string, scope?: string, [parameter]: string | number | boolean }',
        ),
      );
    }
    client.destroy();
  });

  it('leave an undefined member out, as the authorization request does', async () => {
    const { client, forms } = refreshingClient();
    await client.getAccessToken({
      cacheMode: 'off',
      authorizationParams: { left_out: undefined, kept: 'x' },
    });
    expect(forms[0]!.has('left_out')).toBe(false);
    expect(forms[0]!.get('kept')).toBe('x');
    client.destroy();
  });

  it('are each checked: one bad member among good ones, or a non-string audience or scope, is refused', async () => {
    const { client, forms } = refreshingClient();
    for (const authorizationParams of [
      { audience: 'https://api.example', kept: 'x', custom_param: {} },
      { audience: 5 },
      { scope: 5 },
      { scope: ['read'] },
    ]) {
      await expect(client.getAccessToken({ cacheMode: 'off', authorizationParams } as never)).rejects.toThrow(
        new TypeError(
          'authorizationParams must be { audience?: string, scope?: string, [parameter]: string | number | boolean }',
        ),
      );
    }
    expect(forms).toEqual([]);
    client.destroy();
  });
});
