import { describe, expect, it } from 'vitest';
import { AUDIENCE, CLI_CLIENT_ID, devIdpForFile, jwtPayload, tempDirs } from './support.js';
import { loginWithCli, runCli, userEnvIn } from './cli-process.js';

const started = devIdpForFile();
const tempDir = tempDirs();

// The dev defaults point at a port nobody listens on: whatever works came from the flags or the last login.
const userEnv = async () => userEnvIn(await tempDir(), 1);

describe('grantflow CLI: the last login settings', () => {
  it.each([
    ['without', 'with'],
    ['with', 'without'],
  ])(
    'matches an issuer given %s its root slash at login, %s it later (RFC 3986 §6.2.3)',
    async (atLogin, later) => {
      const spelled = (form: string) =>
        form === 'with' ? started.idp.issuer : started.idp.issuer.replace(/\/$/, '');
      const env = await userEnv();
      const login = await loginWithCli(env, [
        '--issuer',
        spelled(atLogin),
        '--client-id',
        CLI_CLIENT_ID,
        '--audience',
        AUDIENCE,
      ]);
      expect(login.code).toBe(0);
      expect(login.stderr).toContain(`Signed in to ${spelled(atLogin)} as alice@example.com.`);
      const token = await runCli(['token', '--issuer', spelled(later)], env);
      expect(token).toMatchObject({ code: 0, stderr: '' });
      expect(jwtPayload(token.stdout.trim())).toMatchObject({ aud: AUDIENCE, iss: started.idp.issuer });
    },
  );

  it('keeps them at logout: the next token and login need no flags, and the login is as before', async () => {
    const env = await userEnv();
    const { issuer } = started.idp;
    const settings = ['--client-id', CLI_CLIENT_ID, '--audience', AUDIENCE, '--scope', 'read:appointments'];
    expect((await loginWithCli(env, ['--issuer', issuer, ...settings])).code).toBe(0);
    expect(await runCli(['logout'], env)).toMatchObject({ code: 0, stderr: `Signed out of ${issuer}.\n` });

    const signedOut = await runCli(['token'], env);
    expect(signedOut.code).toBe(4);
    expect(signedOut.stderr).toBe(
      `grantflow: not signed in to ${issuer}: run "grantflow login --audience ${AUDIENCE}"\n`,
    );
    const again = await loginWithCli(env);
    expect(again.code).toBe(0);
    expect(again.url.origin + '/').toBe(issuer);
    expect(again.url.searchParams.get('client_id')).toBe(CLI_CLIENT_ID);
    expect(again.url.searchParams.get('audience')).toBe(AUDIENCE);
    expect(again.url.searchParams.get('scope')).toBe('openid profile email offline_access read:appointments');
    const token = await runCli(['token'], env);
    expect(token.code).toBe(0);
    expect(jwtPayload(token.stdout.trim())).toMatchObject({ aud: AUDIENCE, scope: 'read:appointments' });
  });
});
