import { chmod, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { signIn, startDevIdp } from '@grantflow/dev-idp';
import { loopbackFront } from '../../../scripts/loopback-front.js';
import { ALICE, AUDIENCE, devIdpForFile, jwtPayload, statusOf, tempDirs } from './support.js';
import { AUTHORIZE_URL, loginWithCli, runCli, startCli, tokenFile, userEnvIn } from './cli-process.js';

const started = devIdpForFile();
// Tokens shorter-lived than the 60 s leeway: every `grantflow token` must refresh.
const shortLived = devIdpForFile({ accessTokenTtl: 20 });
// Two APIs, tokens shorter-lived than the leeway: `grantflow token` refreshes for either.
const OTHER_API = 'https://api.other.example';
const API_SCOPES = { scopes: ['read:appointments', 'write:appointments'] };
const twoApis = devIdpForFile({
  accessTokenTtl: 20,
  apis: { [AUDIENCE]: API_SCOPES, [OTHER_API]: API_SCOPES },
});
const tempDir = tempDirs();

const userEnv = async (idpPort = started.idp.port) => userEnvIn(await tempDir(), idpPort);

const refreshTokenIn = async (env: { XDG_CONFIG_HOME: string }) => {
  const entries = JSON.parse(await readFile(tokenFile(env), 'utf8')) as Record<string, string>;
  const session = Object.entries(entries).find(([key]) => key.endsWith('.session'))?.[1];
  return (JSON.parse(session ?? '{}') as { refresh_tokens?: Record<string, string> }).refresh_tokens?.[
    AUDIENCE
  ];
};

describe('grantflow CLI (run as a child process)', () => {
  it('logs in with no flags against the dev IdP, for the demo API, and keeps the tokens in a 0600 file', async () => {
    const env = await userEnv();
    const { code, stdout, stderr, url, page } = await loginWithCli(env);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(stderr).toContain(`Signed in to ${started.idp.issuer} as alice@example.com.`);
    expect(url.origin + '/').toBe(started.idp.issuer);
    expect(url.searchParams.get('client_id')).toBe('grantflow-cli');
    expect(url.searchParams.get('audience')).toBe(AUDIENCE);
    expect(url.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('You can close this tab and return to the terminal.');

    expect((await stat(tokenFile(env))).mode & 0o777).toBe(0o600);
    expect((await stat(join(env.XDG_CONFIG_HOME, 'grantflow'))).mode & 0o777).toBe(0o700);
  });

  it('tightens its own token directory, found open to others, to 0700 at login', async () => {
    const env = await userEnv();
    const dir = join(env.XDG_CONFIG_HOME, 'grantflow');
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o755);
    expect((await loginWithCli(env)).code).toBe(0);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('prints only the access token on stdout for `grantflow token`', async () => {
    const env = await userEnv();
    await loginWithCli(env);
    const { code, stdout, stderr } = await runCli(['token'], env);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(jwtPayload(stdout.trim())).toMatchObject({
      aud: AUDIENCE,
      sub: 'alice',
      scope: 'read:appointments write:appointments',
    });
  });

  it('refreshes on `grantflow token` once the access token has expired', async () => {
    const env = await userEnv(shortLived.idp.port);
    await loginWithCli(env);
    const before = await refreshTokenIn(env);
    const first = await runCli(['token'], env);
    const afterFirst = await refreshTokenIn(env);
    const second = await runCli(['token'], env);
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(afterFirst).not.toBe(before);
    expect(await refreshTokenIn(env)).not.toBe(afterFirst);
    expect(second.stdout).not.toBe(first.stdout);
    expect(jwtPayload(second.stdout.trim())).toMatchObject({ aud: AUDIENCE, sub: 'alice' });
  });

  it('needs a login of its own for each API: exit 4 naming it before, tokens for both after', async () => {
    const env = await userEnv(twoApis.idp.port);
    await loginWithCli(env);
    const before = await runCli(['token', '--audience', OTHER_API], env);
    expect(before).toEqual({
      code: 4,
      stdout: '',
      stderr:
        `grantflow: no session for API ${OTHER_API} (each API needs its own sign-in): ` +
        `run "grantflow login --audience ${OTHER_API}"\n`,
    });
    expect((await loginWithCli(env, ['--audience', OTHER_API])).code).toBe(0);
    // Every token here is stale at once: each is refreshed with the refresh token of its own API's login.
    for (const api of [AUDIENCE, OTHER_API]) {
      const { code, stdout } = await runCli(['token', '--audience', api], env);
      expect(code).toBe(0);
      expect(jwtPayload(stdout.trim())).toMatchObject({ aud: api, sub: 'alice' });
    }
  });

  it('keeps the session when whoami names an API never signed in to: exit 4 naming it, token still served', async () => {
    const env = await userEnv(twoApis.idp.port);
    await loginWithCli(env);
    const other = await runCli(['whoami', '--audience', OTHER_API], env);
    expect(other).toEqual({
      code: 4,
      stdout: '',
      stderr:
        `grantflow: no session for API ${OTHER_API} (each API needs its own sign-in): ` +
        `run "grantflow login --audience ${OTHER_API}"\n`,
    });
    const { code, stdout } = await runCli(['token'], env);
    expect(code).toBe(0);
    expect(jwtPayload(stdout.trim())).toMatchObject({ aud: AUDIENCE, sub: 'alice' });
  });

  it('says who is signed in, as text and as JSON', async () => {
    const env = await userEnv();
    await loginWithCli(env);
    const text = await runCli(['whoami'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe('alice@example.com (Alice Example)\n');
    const json = await runCli(['whoami', '--json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({
      issuer: started.idp.issuer,
      client_id: 'grantflow-cli',
      audience: AUDIENCE,
      user: { sub: 'alice', email: 'alice@example.com', name: 'Alice Example' },
    });
  });

  it('prints the login as JSON on stdout with --json', async () => {
    const env = await userEnv();
    const { stdout } = await loginWithCli(env, ['--json']);
    expect(JSON.parse(stdout)).toMatchObject({
      issuer: started.idp.issuer,
      client_id: 'grantflow-cli',
      audience: AUDIENCE,
      user: { sub: 'alice' },
    });
  });

  it('logs out: the refresh token is revoked and `grantflow token` then exits 4 with one line', async () => {
    const env = await userEnv();
    await loginWithCli(env);
    const refreshToken = await refreshTokenIn(env);
    const out = await runCli(['logout'], env);
    expect(out.code).toBe(0);
    expect(out.stderr).toBe(`Signed out of ${started.idp.issuer}.\n`);
    const refused = await fetch(new URL('oauth/token', started.idp.issuer), {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: 'grantflow-cli',
        refresh_token: refreshToken!,
      }),
    });
    expect(((await refused.json()) as { error?: string }).error).toBe('invalid_grant');
    const whoami = await runCli(['whoami'], env);
    expect(whoami.code).toBe(4);
    expect(whoami.stdout).toBe('');
    const after = await runCli(['token'], env);
    expect(after.code).toBe(4);
    expect(after.stdout).toBe('');
    expect(after.stderr).toBe(
      `grantflow: not signed in to ${started.idp.issuer}: run "grantflow login --audience ${AUDIENCE}"\n`,
    );
  });

  it('forgets a session the server ended elsewhere: the refused refresh token is not sent again', async () => {
    const env = await userEnv(shortLived.idp.port);
    await loginWithCli(env);
    const refreshToken = await refreshTokenIn(env);
    // RFC 7009, as an admin or another device's logout would.
    const revoked = await fetch(new URL('oauth/revoke', shortLived.idp.issuer), {
      method: 'POST',
      body: new URLSearchParams({ client_id: 'grantflow-cli', token: refreshToken! }),
    });
    expect(revoked.status).toBe(200);
    const ended = await runCli(['token'], env);
    expect(ended.code).toBe(4);
    expect(ended.stderr).toContain('has ended (invalid_grant)');
    expect(await refreshTokenIn(env)).toBeUndefined();
    const after = await runCli(['token'], env);
    expect(after.code).toBe(4);
    expect(after.stderr).toContain(`not signed in to ${shortLived.idp.issuer}`);
  });

  it('logs out here when the server cannot be reached: exit 0, the session gone, a warning on stderr', async () => {
    // The issuer's port stays held, so nothing else can answer there once it resets every connection.
    const front = await loopbackFront();
    onTestFinished(front.close);
    const idp = await startDevIdp({ port: 0, quiet: true, issuer: `http://localhost:${front.port}/` });
    const env = await userEnv(front.port);
    try {
      front.route(idp.port);
      await loginWithCli(env);
      expect(await refreshTokenIn(env)).toBeTypeOf('string');
    } finally {
      front.route(undefined);
      await idp.close();
    }
    const out = await runCli(['logout'], env);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('');
    const [warning, signedOut, ...rest] = out.stderr.split('\n');
    expect(warning).toMatch(
      /^grantflow: warning: cannot reach .+; the refresh token was not revoked there\.$/,
    );
    expect(warning).toContain(idp.issuer);
    expect(signedOut).toBe(`Signed out of ${idp.issuer} on this machine.`);
    expect(rest).toEqual(['']);
    // The session is gone; the token file keeps only the login settings, which still name this issuer.
    expect(await refreshTokenIn(env)).toBeUndefined();
    const after = await runCli(['token'], env);
    expect(after.code).toBe(4);
    expect(after.stderr).toMatch(`grantflow: not signed in to ${idp.issuer}: `);
  });

  it('exits 1 with one line when the user denies consent', async () => {
    const env = await userEnv();
    const { code, stdout, stderr, page } = await loginWithCli(env, [], 'deny');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n').at(-1)).toMatch(/^grantflow: sign-in failed: access_denied/);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('access_denied. You can close this tab; the terminal says more.');
  });

  it('exits 1 when the browser does not come back within --timeout', async () => {
    const env = await userEnv();
    const { code, stderr } = await runCli(['login', '--no-browser', '--timeout', '1'], env);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n').at(-1)).toBe('grantflow: no answer from the browser within 1 s');
  });

  it('cleans up on Ctrl-C: exit 130, listener closed', async () => {
    const env = await userEnv();
    const run = startCli(['login', '--no-browser'], env);
    const [url] = await run.waitForStderr(AUTHORIZE_URL);
    await run.waitForStderr(/waiting for the browser/i);
    const redirectUri = new URL(url).searchParams.get('redirect_uri')!;
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    expect(run.stderr).toContain('grantflow: login cancelled');
    expect(await statusOf(redirectUri)).toBe('ECONNREFUSED');
  });

  it('opens the browser named by $BROWSER', async () => {
    const env = await userEnv();
    const dir = await tempDir();
    const opened = join(dir, 'opened-url');
    const browser = join(dir, 'browser.sh');
    await writeFile(
      browser,
      `#!/bin/sh\nprintf '%s' "$1" > '${opened}.tmp' && mv '${opened}.tmp' '${opened}'\n`,
    );
    await chmod(browser, 0o755);
    const run = startCli(['login'], { ...env, BROWSER: browser });
    await run.waitForStderr(/waiting for the browser/i);
    // The opener returns once the browser process is started, not once it has done anything.
    await expect
      .poll(() => readFile(opened, 'utf8').catch(() => ''), { timeout: 10_000 })
      .toMatch(AUTHORIZE_URL);
    const url = await readFile(opened, 'utf8');
    await fetch(await signIn(url, ALICE));
    expect(await run.exit).toBe(0);
  });

  it('says that no browser could be opened when $BROWSER starts and fails at once', async () => {
    const env = await userEnv();
    const run = startCli(['login', '--timeout', '30'], { ...env, BROWSER: '/bin/false' });
    const [url] = await run.waitForStderr(AUTHORIZE_URL);
    await run.waitForStderr(/^No browser could be opened: open the URL above to sign in\.$/m);
    await fetch(await signIn(url, ALICE));
    expect(await run.exit).toBe(0);
  });

  it('says which grantflow it waits for when another holds the token file, once, then goes on', async () => {
    const env = await userEnv(shortLived.idp.port);
    expect((await loginWithCli(env)).code).toBe(0);
    // This test process holds the refresh lock, as another grantflow refreshing would.
    const lock = `${tokenFile(env)}.lock`;
    await writeFile(lock, `${process.pid}\n${hostname()}\n`);
    const run = startCli(['token'], env);
    await run.waitForStderr(/Waiting for another grantflow \(pid \d+\)/);
    await unlink(lock);
    expect(await run.exit).toBe(0);
    expect(run.stderr).toBe(
      `Waiting for another grantflow (pid ${process.pid}) to finish with the token file…\n`,
    );
    expect(jwtPayload(run.stdout.trim()).sub).toBe('alice');
  });

  it('takes `grantflow help` as --help', async () => {
    const env = await userEnv();
    const { code, stdout, stderr } = await runCli(['help'], env);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^grantflow: sign in through the browser/);
  });

  it('answers flags without a command with exit 2 on stderr, so $(grantflow --audience api) gets no help text', async () => {
    const env = await userEnv();
    const { code, stdout, stderr } = await runCli(['--audience', 'api'], env);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe(
      'grantflow: no command given for --audience: use login, token, whoami or logout (see "grantflow --help")\n',
    );
    const bare = await runCli([], env);
    expect({ code: bare.code, stderr: bare.stderr }).toEqual({ code: 0, stderr: '' });
    expect(bare.stdout).toMatch(/^grantflow: sign in through the browser/);
  });

  it('says so when the token file cannot be read, rather than "not signed in"', async () => {
    const env = await userEnv();
    await mkdir(tokenFile(env), { recursive: true });
    const { code, stderr } = await runCli(['token'], env);
    expect(code).toBe(1);
    expect(stderr).toBe(`grantflow: cannot read ${tokenFile(env)}\n`);
  });

  it('answers wrong usage with exit 2 and one line', async () => {
    const env = await userEnv();
    const unknown = await runCli(['token', '--no-browser'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'grantflow: --no-browser is not an option of "grantflow token" (see "grantflow --help")\n',
    );
    const other = await runCli(['token', '--issuer', 'https://idp.example.com/'], env);
    expect(other.code).toBe(2);
    expect(other.stderr).toBe(
      'grantflow: --client-id is required for https://idp.example.com/ (see "grantflow --help")\n',
    );
  });
});
