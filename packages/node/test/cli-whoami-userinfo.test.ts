import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.js';
import { loginWithCliAt, startStockProvider, type StockProvider } from './stock-provider.js';
import { tempDirs } from './support.js';

const tempDir = tempDirs();

// A standard provider puts only `sub` in an ID token issued with an access token (OIDC Core §5.4).
let stock: StockProvider;
beforeAll(async () => {
  stock = await startStockProvider({ accessTokenTtl: 600 });
});
afterAll(() => stock.close());

async function signedInEnv(provider = stock) {
  const home = await tempDir();
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, 'config') };
  expect((await loginWithCliAt(provider, env)).code).toBe(0);
  return env;
}

describe('grantflow whoami at a provider whose ID token names only the subject', () => {
  it('completes the email and name from the userinfo endpoint, as text and as JSON', async () => {
    const env = await signedInEnv();
    const text = await runCli(['whoami'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe('alice@example.com (Alice Stock)\n');
    const json = await runCli(['whoami', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({
      issuer: stock.issuer,
      user: { sub: 'alice', email: 'alice@example.com', name: 'Alice Stock' },
    });
  });

  it("writes the server's control characters out visibly as text, and keeps them exact in JSON", async () => {
    const name = 'Alice\u001b]0;pwned\u0007\u001b[2J';
    const odd = await startStockProvider({ accessTokenTtl: 600, name });
    try {
      const env = await signedInEnv(odd);
      const text = await runCli(['whoami'], env);
      expect(text).toMatchObject({
        code: 0,
        stdout: 'alice@example.com (Alice\\x1b]0;pwned\\x07\\x1b[2J)\n',
      });
      const json = await runCli(['whoami', '--json'], env);
      expect(JSON.parse(json.stdout)).toMatchObject({ user: { name } });
    } finally {
      await odd.close();
    }
  });

  it("shows the ID token's subject when the userinfo endpoint cannot be reached", async () => {
    const gone = await startStockProvider({ accessTokenTtl: 600 });
    const env = await signedInEnv(gone);
    await gone.close();
    const text = await runCli(['whoami'], env);
    expect(text).toMatchObject({ code: 0, stdout: 'alice\n' });
    expect(text.stderr).toContain('subject: alice');
  });

  it('completes the profile from userinfo with tokens shorter-lived than the leeway, the server up', async () => {
    const brief = await startStockProvider({ accessTokenTtl: 30 });
    try {
      const env = await signedInEnv(brief);
      expect(await runCli(['whoami'], env)).toMatchObject({
        code: 0,
        stdout: 'alice@example.com (Alice Stock)\n',
      });
    } finally {
      await brief.close();
    }
  });

  it('asks a server that takes requests and answers none only once, then shows the stored subject', async () => {
    // Tokens due at once (core renews a minute ahead): whoami's first step is a refresh, which will hang.
    const hanging = await startStockProvider({ accessTokenTtl: 30 });
    try {
      const env = await signedInEnv(hanging);
      const asked = hanging.hang();
      const text = await runCli(['whoami'], env);
      expect(text).toMatchObject({ code: 0, stdout: 'alice\n' });
      // The metadata lookup, and no userinfo request waiting as long again after it.
      expect(asked.paths).toEqual(['/.well-known/openid-configuration']);
    } finally {
      await hanging.close();
    }
  });
});
