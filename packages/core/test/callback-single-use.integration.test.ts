import { signIn, type DevIdp } from '@grantflow/dev-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateMismatchError } from '../src/errors.js';
import { memoryStorage } from '../src/storage.js';
import { ALICE, startIdp, testClient } from './support.js';

let idp: DevIdp;
beforeAll(async () => {
  idp = await startIdp();
});
afterAll(() => idp.close());

const codeExchanges = (requests: { params: URLSearchParams }[]) =>
  requests.filter(({ params }) => params.get('grant_type') === 'authorization_code');

describe('a callback handled twice at once', () => {
  it('shares the running outcome for the same URL: one code exchange, both signed in; later the state is spent', async () => {
    const { client, navigations, tokenRequests } = testClient(idp.issuer);
    await client.loginWithRedirect({ appState: { returnTo: '/x' } });
    const callback = (await signIn(navigations[0]!, ALICE)).href;

    const outcomes = await Promise.all([
      client.handleRedirectCallback(callback),
      client.handleRedirectCallback(callback),
    ]);
    expect(outcomes).toEqual([{ appState: { returnTo: '/x' } }, { appState: { returnTo: '/x' } }]);
    expect(codeExchanges(tokenRequests)).toHaveLength(1);
    expect(client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });

    await expect(client.handleRedirectCallback(callback)).rejects.toBeInstanceOf(StateMismatchError);
    expect(codeExchanges(tokenRequests)).toHaveLength(1);
    client.destroy();
  });

  it('lets only one of two clients over one storage spend the transaction', async () => {
    const storage = memoryStorage();
    const first = testClient(idp.issuer, { storage });
    const second = testClient(idp.issuer, { storage });
    await first.client.loginWithRedirect();
    const callback = (await signIn(first.navigations[0]!, ALICE)).href;

    const outcomes = await Promise.allSettled([
      first.client.handleRedirectCallback(callback),
      second.client.handleRedirectCallback(callback),
    ]);
    expect(outcomes[0]).toMatchObject({ status: 'fulfilled' });
    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: { code: 'state_mismatch' } });
    expect(codeExchanges([...first.tokenRequests, ...second.tokenRequests])).toHaveLength(1);
    expect(first.client.getSnapshot()).toMatchObject({ status: 'authenticated', error: undefined });
    first.client.destroy();
    second.client.destroy();
  });
});
