import { describe, expect, it } from 'vitest';
import type { AuthClientOptions } from '../src/index.js';
import { memoryStorage } from '../src/storage.js';
import { buildAuthorizeUrl } from '../src/authorize.js';
import { offlineClient, offlineSignedIn } from './support.js';

const WHAT = 'must be a string, a finite number, a boolean or a list of strings';

/** A client asking no server (explicit endpoints) whose navigations and login transactions are kept. */
function client(options: Partial<AuthClientOptions> = {}) {
  const navigations: string[] = [];
  const transactions = memoryStorage();
  const { client: created } = offlineClient({}, async () => new Response(null, { status: 500 }), {
    transactionStorage: transactions,
    navigate: (url) => void navigations.push(url),
    ...options,
  });
  return { client: created, navigations, transactions };
}

describe('authorizationParams members a URL cannot carry', () => {
  it.each([
    ['organization', { id: 'org_1' }],
    ['prompt', null],
    ['ext', Number.NaN],
    ['ui_locales', ['fr', 1]],
  ])('are refused at construction, naming the member: %s = %o', (name, value) => {
    expect(() => client({ authorizationParams: { [name]: value } as never })).toThrow(
      new TypeError(`authorizationParams.${name} ${WHAT}`),
    );
  });

  it('refuses at construction a max_age that is no whole number of seconds, as a login would', () => {
    expect(() => client({ authorizationParams: { max_age: '1e3' } })).toThrow(
      new TypeError('authorizationParams.max_age must be a whole number of seconds >= 0'),
    );
  });

  it('are refused by a login naming the member, before anything is stored or the page is left', async () => {
    const { client: auth, navigations, transactions } = client();
    await expect(
      auth.loginWithRedirect({ authorizationParams: { organization: { id: 'org_1' } } as never }),
    ).rejects.toThrow(new TypeError(`organization ${WHAT}`));
    await expect(auth.loginWithRedirect({ authorizationParams: 'prompt=login' as never })).rejects.toThrow(
      new TypeError('authorizationParams must be an object'),
    );
    expect(navigations).toEqual([]);
    expect(await transactions.keys!()).toEqual([]);
  });

  it("sends strings, numbers and booleans as text: max_age '60' as Auth0's SDK does", async () => {
    const { client: auth, navigations } = client({ authorizationParams: { max_age: '60', ext: true } });
    await auth.loginWithRedirect({ authorizationParams: { locales: ['fr', 'en'], n: 2 } });
    const query = new URL(navigations[0]!).searchParams;
    expect([query.get('max_age'), query.get('ext'), query.get('locales'), query.get('n')]).toEqual([
      '60',
      'true',
      'fr en',
      '2',
    ]);
  });
});

const REFUSED = "response_mode must be query: the answer is read from the callback URL's query";

// The callback is read from the query only: a mode that moves the answer elsewhere (OAuth 2.0 Multiple
// Response Type Encoding Practices §2.1: the fragment; form_post: a POST body) would strand the login.
describe('authorizationParams.response_mode other than query', () => {
  it.each(['fragment', 'form_post', 'web_message'])('%s is refused at construction', (mode) => {
    expect(() => client({ authorizationParams: { response_mode: mode } })).toThrow(
      new TypeError(`authorizationParams.${REFUSED}`),
    );
  });

  it('is refused by a login before anything is stored or the page is left', async () => {
    const { client: auth, navigations, transactions } = client();
    await expect(
      auth.loginWithRedirect({ authorizationParams: { response_mode: 'fragment' } }),
    ).rejects.toThrow(new TypeError(REFUSED));
    expect(navigations).toEqual([]);
    expect(await transactions.keys!()).toEqual([]);
  });

  it('query, the default, is sent as given', async () => {
    const { client: auth, navigations } = client({ authorizationParams: { response_mode: 'query' } });
    await auth.loginWithRedirect();
    expect(new URL(navigations[0]!).searchParams.get('response_mode')).toBe('query');
  });

  it('is refused by getAccessToken and checkSession, whatever would answer them', async () => {
    const { client: auth } = await offlineSignedIn({});
    const asked = { authorizationParams: { response_mode: 'fragment' } };
    await expect(auth.getAccessToken({ ...asked, cacheMode: 'off' })).rejects.toThrow(new TypeError(REFUSED));
    await expect(auth.checkSession(asked)).rejects.toThrow(new TypeError(REFUSED));
  });

  it('is left to the caller of buildAuthorizeUrl, a helper for clients of its own', () => {
    const url = buildAuthorizeUrl('https://idp.example/authorize', {
      client_id: 'app',
      redirect_uri: 'https://app.example/cb',
      code_challenge: 'c'.repeat(43),
      state: 's',
      response_mode: 'form_post',
    });
    expect(url.searchParams.get('response_mode')).toBe('form_post');
  });
});
