import { describe, expect, it } from 'vitest';
import { OFFLINE_END_SESSION, offlineSignedIn } from './support.js';

describe('logout names the session that leaves (RP-Initiated Logout 1.0 §2 logout_hint)', () => {
  it("sends the ID token's sid as logout_hint to the end-session endpoint, with client_id and the return address", async () => {
    const { client, navigations } = await offlineSignedIn({ sid: 'sid-42' });
    await client.logout({ returnTo: 'https://app.example/' });
    const leaving = new URL(navigations.at(-1)!);
    expect(leaving.origin + leaving.pathname).toBe(OFFLINE_END_SESSION);
    expect(Object.fromEntries(leaving.searchParams)).toEqual({
      client_id: 'app',
      post_logout_redirect_uri: 'https://app.example/',
      logout_hint: 'sid-42',
    });
    expect(client.getSnapshot().isAuthenticated).toBe(false);
  });

  it('sends no logout_hint when the ID token has no sid, or one that is not a string', async () => {
    for (const claims of [{}, { sid: 42 }, { sid: { id: 'x' } }]) {
      const { client, navigations } = await offlineSignedIn(claims);
      await client.logout({ returnTo: 'https://app.example/' });
      expect(Object.fromEntries(new URL(navigations.at(-1)!).searchParams)).toEqual({
        client_id: 'app',
        post_logout_redirect_uri: 'https://app.example/',
      });
    }
  });

  it("sends none to Auth0's /v2/logout, which takes no logout_hint", async () => {
    const { client, navigations } = await offlineSignedIn({ sid: 'sid-42' }, { auth0Logout: true });
    await client.logout({ returnTo: 'https://app.example/' });
    const leaving = new URL(navigations.at(-1)!);
    expect(leaving.pathname).toBe('/v2/logout');
    expect(leaving.searchParams.has('logout_hint')).toBe(false);
  });
});

describe('logout sends the ID token as id_token_hint only when the app opted in (RP-Initiated Logout 1.0 §2)', () => {
  it('with idTokenHintOnLogout, sends the ID token of the session that leaves, beside client_id and logout_hint', async () => {
    const { client, navigations, idToken } = await offlineSignedIn(
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
    const plain = await offlineSignedIn({});
    await plain.client.logout({ idTokenHint: true });
    expect(new URL(plain.navigations.at(-1)!).searchParams.get('id_token_hint')).toBe(plain.idToken);

    const opted = await offlineSignedIn({}, { idTokenHintOnLogout: true });
    await opted.client.logout({ idTokenHint: false });
    expect(new URL(opted.navigations.at(-1)!).searchParams.has('id_token_hint')).toBe(false);
  });

  it("sends none to Auth0's /v2/logout, which takes no id_token_hint", async () => {
    const { client, navigations } = await offlineSignedIn(
      {},
      { auth0Logout: true, idTokenHintOnLogout: true },
    );
    await client.logout();
    const leaving = new URL(navigations.at(-1)!);
    expect(leaving.pathname).toBe('/v2/logout');
    expect(leaving.searchParams.has('id_token_hint')).toBe(false);
  });

  it('sends none when nobody is signed in, and a second logout finds no ID token left', async () => {
    const { client, navigations } = await offlineSignedIn({}, { idTokenHintOnLogout: true });
    await client.logout();
    await client.logout();
    expect(new URL(navigations.at(-1)!).searchParams.has('id_token_hint')).toBe(false);
  });
});
