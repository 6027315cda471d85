import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeAuthClient, fileTokenStorage } from '../src/index.js';
import { runCli } from './cli-process.js';
import {
  loginWithCliAt,
  NATIVE_CLIENT_ID,
  startStockProvider,
  type StockProvider,
} from './stock-provider.js';
import { jwtPayload, tempDirs } from './support.js';

const API = 'https://api.example/';
const tempDir = tempDirs();

// Access tokens shorter-lived than the 60 s leeway: each `grantflow token` refreshes.
let stock: StockProvider;
beforeAll(async () => {
  stock = await startStockProvider({
    accessTokenTtl: 3,
    resourceServer: { resource: API, scope: 'read:items' },
  });
});
afterAll(() => stock.close());

async function userEnv() {
  const home = await tempDir();
  return { HOME: home, XDG_CONFIG_HOME: join(home, 'config') };
}

const refreshes = () => stock.grants.filter((grant) => grant === 'refresh_token').length;

describe('grantflow CLI with --resource, at a stock oidc-provider with resource indicators (RFC 8707)', () => {
  it('signs in for the API, and `grantflow token` then refreshes JWTs for it without the flag', async () => {
    const env = await userEnv();
    const signedIn = await loginWithCliAt(stock, env, ['--resource', API, '--scope', 'read:items']);
    expect(signedIn).toMatchObject({ code: 0, status: 200 });
    expect(signedIn.url.searchParams.get('resource')).toBe(API);
    expect(signedIn.url.searchParams.has('audience')).toBe(false);

    const before = refreshes();
    const first = await runCli(['token'], env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(jwtPayload(first.stdout.trim())).toMatchObject({ aud: API, scope: 'read:items', sub: 'alice' });
    const second = await runCli(['token'], env);
    expect(second.code).toBe(0);
    expect(jwtPayload(second.stdout.trim())).toMatchObject({ aud: API, scope: 'read:items' });
    expect(second.stdout).not.toBe(first.stdout);
    expect(refreshes()).toBe(before + 2);
  });

  it('names the scope on each refresh after `login --refresh-with-scope`, and only then', async () => {
    const env = await userEnv();
    const settings = ['--resource', API, '--scope', 'read:items'];
    expect((await loginWithCliAt(stock, env, settings)).code).toBe(0);
    expect((await runCli(['token'], env)).code).toBe(0);
    expect(stock.refreshScopes.at(-1)).toBeUndefined();

    expect((await loginWithCliAt(stock, env, [...settings, '--refresh-with-scope'])).code).toBe(0);
    const token = await runCli(['token'], env);
    expect(token.code).toBe(0);
    expect(jwtPayload(token.stdout.trim())).toMatchObject({ aud: API, scope: 'read:items' });
    expect(stock.refreshScopes.at(-1)).toBe('openid profile email offline_access read:items');
  });

  it('names the resource in the login it asks for once signed out', async () => {
    const env = await userEnv();
    expect((await loginWithCliAt(stock, env, ['--resource', API, '--scope', 'read:items'])).code).toBe(0);
    expect((await runCli(['logout'], env)).code).toBe(0);
    expect(await runCli(['token'], env)).toMatchObject({
      code: 4,
      stderr: `grantflow: not signed in to ${stock.issuer}: run "grantflow login --resource ${API}"\n`,
    });
  });

  it('refuses --audience with --resource as a usage error, in one line', async () => {
    const env = await userEnv();
    const args = [
      '--issuer',
      stock.issuer,
      '--client-id',
      NATIVE_CLIENT_ID,
      '--audience',
      API,
      '--resource',
      API,
    ];
    expect(await runCli(['token', ...args], env)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'grantflow: give --audience or --resource, not both (see "grantflow --help")\n',
    });
  });
});

describe('createNodeAuthClient with resource', () => {
  it('throws TypeError at construction when given audience too, as core does', async () => {
    const storage = fileTokenStorage(join(await tempDir(), 'tokens.json'));
    const both = { issuer: stock.issuer, clientId: NATIVE_CLIENT_ID, storage, audience: API, resource: API };
    expect(() => createNodeAuthClient(both)).toThrow(new TypeError('give audience or resource, not both'));
  });
});
