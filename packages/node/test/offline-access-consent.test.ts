import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MissingRefreshTokenError, type FetchLike } from '@grantflow/core';
import { createNodeAuthClient, fileTokenStorage, LoginCancelledError } from '../src/index.js';
import { startCli } from './cli-process.js';
import {
  followToCallback,
  loginWithCliAt,
  NATIVE_CLIENT_ID,
  startStockProvider,
  type StockProvider,
} from './stock-provider.js';
import { tempDirs } from './support.js';

const tempDir = tempDirs();

// Access tokens shorter-lived than the 60 s leeway: to the client they have expired at once, so each
// `token` after the login needs the refresh token; 3 s as in the report of a stock provider.
let stock: StockProvider;
beforeAll(async () => {
  stock = await startStockProvider({ accessTokenTtl: 3 });
});
afterAll(() => stock.close());

async function userEnv() {
  const home = await tempDir();
  return { HOME: home, XDG_CONFIG_HOME: join(home, 'config') };
}

const login = (env: Record<string, string>, args: string[] = []) => loginWithCliAt(stock, env, args);

const token = async (env: Record<string, string>) => {
  const run = startCli(['token'], env);
  return { code: await run.exit, stdout: run.stdout, stderr: run.stderr };
};

describe('grantflow CLI against a standard OpenID provider (stock oidc-provider)', () => {
  it('asks for consent with offline_access, gets a refresh token, and `grantflow token` refreshes with it', async () => {
    const env = await userEnv();
    const signedIn = await login(env);
    expect(signedIn.url.searchParams.get('prompt')).toBe('consent');
    expect(signedIn.url.searchParams.get('scope')?.split(' ')).toContain('offline_access');
    expect(signedIn.code).toBe(0);
    expect(signedIn.status).toBe(200);

    const before = stock.grants.filter((grant) => grant === 'refresh_token').length;
    const first = await token(env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const second = await token(env);
    expect(second.code).toBe(0);
    // Each token had expired to the client: each `token` spent the (rotating) refresh token for a new one.
    expect(second.stdout).not.toBe(first.stdout);
    expect(stock.grants.filter((grant) => grant === 'refresh_token')).toHaveLength(before + 2);
    expect(await stock.provider.AccessToken.find(second.stdout.trim())).toBeDefined();
  });

  it('finishes a sign-in that got no refresh token and a token inside the leeway, and saves the profile', async () => {
    const env = await userEnv();
    // The caller's prompt wins: without consent the provider drops offline_access.
    const signedIn = await login(env, ['--prompt', 'login', '--json']);
    expect(signedIn.url.searchParams.get('prompt')).toBe('login');
    expect(signedIn.code).toBe(0);
    expect(JSON.parse(signedIn.stdout)).toMatchObject({ issuer: stock.issuer, client_id: NATIVE_CLIENT_ID });
    const file = JSON.parse(await readFile(join(env.XDG_CONFIG_HOME, 'grantflow', 'tokens.json'), 'utf8'));
    expect(JSON.parse((file as Record<string, string>)['grantflow.cli.profile']!)).toMatchObject({
      issuer: stock.issuer,
    });

    // The saved profile points `token` at this provider, which gave no refresh token: log in again.
    const after = await token(env);
    expect(after.code).toBe(4);
    expect(after.stderr).toMatch(/^grantflow: no refresh token for .*: run "grantflow login"\n$/);
  });

  it('sends the prompt given by --prompt over GRANTFLOW_PROMPT, and GRANTFLOW_PROMPT over the default', async () => {
    const env = { ...(await userEnv()), GRANTFLOW_PROMPT: 'select_account' };
    const fromEnv = await login(env);
    expect(fromEnv.url.searchParams.get('prompt')).toBe('select_account');
    const fromFlag = await login(env, ['--prompt', 'login consent']);
    expect(fromFlag.url.searchParams.get('prompt')).toBe('login consent');
    const none = await login(env, ['--prompt', '']);
    expect(none.url.searchParams.has('prompt')).toBe(false);
  });
});

/** A login through the node API that is given up as soon as its authorization URL is known. */
async function authorizeUrlOf(
  options: Omit<Parameters<typeof createNodeAuthClient>[0], 'clientId'>,
  loginParams?: { prompt?: string },
): Promise<URL> {
  const client = createNodeAuthClient({
    clientId: NATIVE_CLIENT_ID,
    storage: fileTokenStorage(join(await tempDir(), 'tokens.json')),
    ...options,
  });
  const controller = new AbortController();
  let opened: string | undefined;
  const login = client.login({
    openBrowser: (url) => {
      opened = url;
      controller.abort();
      return true;
    },
    print: () => undefined,
    signal: controller.signal,
    authorizationParams: loginParams,
  });
  await expect(login).rejects.toBeInstanceOf(LoginCancelledError);
  return new URL(opened!);
}

/** Discovery for an Auth0 tenant (the machine reaches no Auth0): only its metadata is asked for. */
const auth0Discovery =
  (issuer: string): FetchLike =>
  async (url) => {
    expect(url).toBe(`${issuer}.well-known/openid-configuration`);
    return Response.json({
      issuer,
      authorization_endpoint: `${issuer}authorize`,
      token_endpoint: `${issuer}oauth/token`,
    });
  };

describe('the prompt of a loopback login (node API)', () => {
  it('is consent for a standard provider, none for Auth0, and what the caller gave otherwise', async () => {
    const { issuer } = stock;
    expect((await authorizeUrlOf({ issuer })).searchParams.get('prompt')).toBe('consent');
    const tenant = 'https://tenant.eu.auth0.com/';
    const auth0 = await authorizeUrlOf({ issuer: tenant, fetch: auth0Discovery(tenant) });
    expect(auth0.searchParams.has('prompt')).toBe(false);
    // Auth0's `domain` shorthand means Auth0, custom domains included.
    const custom = 'https://login.example.com/';
    const domain = await authorizeUrlOf({ domain: 'login.example.com', fetch: auth0Discovery(custom) });
    expect(domain.searchParams.has('prompt')).toBe(false);

    const everyLogin = { issuer, authorizationParams: { prompt: 'select_account' } };
    expect((await authorizeUrlOf(everyLogin)).searchParams.get('prompt')).toBe('select_account');
    expect((await authorizeUrlOf(everyLogin, { prompt: 'login' })).searchParams.get('prompt')).toBe('login');
    expect((await authorizeUrlOf({ issuer }, { prompt: '' })).searchParams.has('prompt')).toBe(false);
  });

  it('resolves with the token the sign-in got, even one inside the leeway with no refresh token', async () => {
    const client = createNodeAuthClient({
      issuer: stock.issuer,
      clientId: NATIVE_CLIENT_ID,
      storage: fileTokenStorage(join(await tempDir(), 'tokens.json')),
    });
    let visit: Promise<unknown> | undefined;
    const result = await client.login({
      openBrowser: (url) => void (visit = followToCallback(url)),
      print: () => undefined,
      authorizationParams: { prompt: 'login' },
    });
    await visit;
    expect(await stock.provider.AccessToken.find(result.accessToken)).toBeDefined();
    expect(result.user?.sub).toBe('alice');
    await expect(client.getAccessToken()).rejects.toBeInstanceOf(MissingRefreshTokenError);
  });
});
