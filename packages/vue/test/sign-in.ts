import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import type { SignInCredentials } from '@grantflow/dev-idp';

const packageDir = resolve(import.meta.dirname, '..');

/**
 * The user at the IdP: the dev IdP's `signIn` fills its real login form over HTTP. It runs in a plain
 * Node process because happy-dom's fetch (the test environment's) enforces CORS and drops cookies.
 */
export function signInAtIdp(authorizeUrl: string, credentials: SignInCredentials): Promise<URL> {
  const script = `import('@grantflow/dev-idp')
    .then(({ signIn }) => signIn(process.argv[1], JSON.parse(process.argv[2])))
    .then((url) => process.stdout.write(url.href))`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script, authorizeUrl, JSON.stringify(credentials)],
      { cwd: packageDir, timeout: 60_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(stderr || error.message)) : resolve(new URL(stdout)),
    );
  });
}
