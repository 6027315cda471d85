import { describe, expect, it } from 'vitest';
import type { AuthClientOptions } from '../src/index.js';
import { memoryStorage } from '../src/storage.js';
import { offlineClient } from './support.js';

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
