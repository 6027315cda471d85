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
});
