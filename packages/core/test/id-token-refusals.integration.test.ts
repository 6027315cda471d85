import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn, type DevIdp } from '@grantflow/dev-idp';
import { IdTokenInvalidError } from '../src/errors.js';
import { ALICE, startIdp, testClient } from './support.js';

let idp: DevIdp;
beforeAll(async () => {
  idp = await startIdp();
});
afterAll(() => idp.close());

const SESSION_KEY = 'grantflow.grantflow-demo.session';

/**
 * Logs in through the real dev IdP, letting `tamper` change the authorization request on its way (as
 * an attacker in the browser could): the client's transaction keeps what the client asked for.
 */
async function loginTampered(
  client: ReturnType<typeof testClient>,
  authorizationParams: Record<string, string>,
  tamper: (url: URL) => void,
) {
  await client.client.loginWithRedirect({ authorizationParams });
  const authorize = new URL(client.navigations.at(-1)!);
  tamper(authorize);
  const callback = await signIn(authorize, ALICE);
  return client.client.handleRedirectCallback(callback.href);
}

async function expectRefused(
  client: ReturnType<typeof testClient>,
  attempt: Promise<unknown>,
  check: string,
) {
  await expect(attempt).rejects.toBeInstanceOf(IdTokenInvalidError);
  await expect(attempt).rejects.toMatchObject({
    code: 'id_token_invalid',
    message: `ID token: bad ${check}`,
  });
  expect(await client.storage.get(SESSION_KEY)).toBeUndefined();
  expect(client.client.getSnapshot()).toMatchObject({ status: 'error', isAuthenticated: false });
  client.client.destroy();
}

describe('an ID token from the real IdP that fails a check of this login', () => {
  it('with another nonce than the one sent is refused, and nothing is stored', async () => {
    const client = testClient(idp.issuer);
    const attempt = loginTampered(client, {}, (url) => url.searchParams.set('nonce', 'someone-elses-nonce'));
    await expectRefused(client, attempt, 'nonce');
    expect(client.tokenRequests.map((request) => request.params.get('grant_type'))).toEqual([
      'authorization_code',
    ]);
  });

  it('with an auth_time too old for max_age is refused, and nothing is stored', async () => {
    const client = testClient(idp.issuer);
    // The user signed in now; by this client's clock that was 5 minutes ago, longer than max_age + leeway.
    client.clock.offset = 300_000;
    const attempt = loginTampered(client, { max_age: '60' }, () => undefined);
    await expectRefused(client, attempt, 'auth_time');
  });

  it('for another organization than the one asked for is refused, and nothing is stored', async () => {
    const client = testClient(idp.issuer);
    const attempt = loginTampered(client, { organization: 'org_elsewhere' }, (url) =>
      url.searchParams.set('organization', 'org_acmeclinic'),
    );
    await expectRefused(client, attempt, 'org_id');
  });

  it('passes when nothing was changed (the checks above refuse only the tampered logins)', async () => {
    const client = testClient(idp.issuer);
    await loginTampered(client, { organization: 'org_acmeclinic', max_age: '60' }, () => undefined);
    expect(client.client.getSnapshot()).toMatchObject({ status: 'authenticated' });
    expect(client.client.getSnapshot().idTokenClaims).toMatchObject({ org_id: 'org_acmeclinic' });
    expect(await client.storage.get(SESSION_KEY)).toBeDefined();
    client.client.destroy();
  });
});
