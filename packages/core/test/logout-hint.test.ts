import { describe, expect, it } from 'vitest';
import type { AuthClientOptions } from '../src/index.js';
import { OFFLINE_ISSUER, OFFLINE_NOW, offlineClient } from './support.js';

const END_SESSION = `${OFFLINE_ISSUER}session/end`;
const seconds = OFFLINE_NOW / 1000;
const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const idTokenWith = (claims: Record<string, unknown>) =>
  `${segment({ alg: 'RS256' })}.${segment({ iss: OFFLINE_ISSUER, sub: 'u', aud: 'app', iat: seconds, exp: seconds + 600, ...claims })}.c2ln`;

/** Signs in through the callback, the code exchanged for an ID token with these extra claims. */
async function signedInWith(claims: Record<string, unknown>, options: Partial<AuthClientOptions> = {}) {
  const navigations: string[] = [];
  let nonce = '';
  const { client } = offlineClient(
    {},
    async () =>
      Response.json({
        access_token: 'at',
        token_type: 'Bearer',
        expires_in: 600,
        id_token: idTokenWith({ nonce, ...claims }),
      }),
    {
      endpoints: {
        authorization: `${OFFLINE_ISSUER}authorize`,
        token: `${OFFLINE_ISSUER}token`,
        endSession: END_SESSION,
      },
      navigate: (url) => void navigations.push(url),
      ...options,
    },
  );
  await client.loginWithRedirect();
  const authorize = new URL(navigations[0]!).searchParams;
  nonce = authorize.get('nonce')!;
  await client.handleRedirectCallback(`https://app.example/callback?code=c&state=${authorize.get('state')}`);
  expect(client.getSnapshot().isAuthenticated).toBe(true);
  return { client, navigations, idToken: idTokenWith({ nonce, ...claims }) };
}

describe('logout names the session that leaves (RP-Initiated Logout 1.0 §2 logout_hint)', () => {
  it("sends the ID token's sid as logout_hint to the end-session endpoint, with client_id and the return address", async () => {
    const { client, navigations } = await signedInWith({ sid: 'sid-42' });
    await client.logout({ returnTo: 'https://app.example/' });
    const leaving = new URL(navigations.at(-1)!);
    expect(leaving.origin + leaving.pathname).toBe(END_SESSION);
    expect(Object.fromEntries(leaving.searchParams)).toEqual({
      client_id: 'app',
      post_logout_redirect_uri: 'https://app.example/',
      logout_hint: 'sid-42',
    });
    expect(client.getSnapshot().isAuthenticated).toBe(false);
  });

  it('sends no logout_hint when the ID token has no sid, or one that is not a string', async () => {
    for (const claims of [{}, { sid: 42 }, { sid: { id: 'x' } }]) {
      const { client, navigations } = await signedInWith(claims);
      await client.logout({ returnTo: 'https://app.example/' });
      expect(Object.fromEntries(new URL(navigations.at(-1)!).searchParams)).toEqual({
        client_id: 'app',
        post_logout_redirect_uri: 'https://app.example/',
      });
    }
  });

  it("sends none to Auth0's /v2/logout, which takes no logout_hint", async () => {
    const { client, navigations } = await signedInWith({ sid: 'sid-42' }, { auth0Logout: true });
    await client.logout({ returnTo: 'https://app.example/' });
    const leaving = new URL(navigations.at(-1)!);
    expect(leaving.pathname).toBe('/v2/logout');
    expect(leaving.searchParams.has('logout_hint')).toBe(false);
  });
});

describe('logout sends the ID token as id_token_hint only when the app opted in (RP-Initiated Logout 1.0 §2)', () => {
  it('with idTokenHintOnLogout, sends the ID token of the session that leaves, beside client_id and logout_hint', async () => {
    const { client, navigations, idToken } = await signedInWith(
      { sid: 'sid-42' },
      { idTokenHintOnLogout: true },
    );
    await client.logout({ returnTo: 'https://app.example/' });
    expect(Object.fromEntries(new URL(navigations.at(-1)!).searchParams)).toEqual({
      client_id: 'app',
      post_logout_redirect_uri: 'https://app.example/',
      logout_hint: 'sid-42',
      id_token_hint: idToken,
    });
    expect(client.getSnapshot().isAuthenticated).toBe(false);
  });

  it('a call decides for itself: idTokenHint true sends it, false keeps it out whatever the client says', async () => {
    const plain = await signedInWith({});
    await plain.client.logout({ idTokenHint: true });
    expect(new URL(plain.navigations.at(-1)!).searchParams.get('id_token_hint')).toBe(plain.idToken);

    const opted = await signedInWith({}, { idTokenHintOnLogout: true });
    await opted.client.logout({ idTokenHint: false });
    expect(new URL(opted.navigations.at(-1)!).searchParams.has('id_token_hint')).toBe(false);
  });

  it("sends none to Auth0's /v2/logout, which takes no id_token_hint", async () => {
    const { client, navigations } = await signedInWith({}, { auth0Logout: true, idTokenHintOnLogout: true });
    await client.logout();
    const leaving = new URL(navigations.at(-1)!);
    expect(leaving.pathname).toBe('/v2/logout');
    expect(leaving.searchParams.has('id_token_hint')).toBe(false);
  });

  it('sends none when nobody is signed in, and a second logout finds no ID token left', async () => {
    const { client, navigations } = await signedInWith({}, { idTokenHintOnLogout: true });
    await client.logout();
    await client.logout();
    expect(new URL(navigations.at(-1)!).searchParams.has('id_token_hint')).toBe(false);
  });
});
