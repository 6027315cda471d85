import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timeoutOf, UsageError } from '../src/cli/arguments.js';
import {
  browserCommand,
  createNodeAuthClient,
  defaultTokenFile,
  fileTokenStorage,
  listenOnLoopback,
  loginWithLoopback,
  userConfigDir,
  withFileLock,
  type LoopbackListener,
  type NodeAuthClientOptions,
} from '../src/index.js';

// Nothing listens on port 1: a client that got past its checks fails there at once, not with a TypeError.
const client = { issuer: 'http://127.0.0.1:1/', clientId: 'cli' };
const quiet = { print: () => undefined, openBrowser: false as const };
const task = async () => 'ran';

/** Runs `call` and expects a TypeError, thrown or as a rejection, whose message starts with `name must be`. */
async function refuses(call: () => unknown, name: string) {
  const error = await Promise.resolve()
    .then(call)
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  expect(error).toBeInstanceOf(TypeError);
  expect((error as TypeError).message).toMatch(new RegExp(`^${name} must be `));
}

describe('listenOnLoopback refuses a path that is not the end of a redirect URI', () => {
  it.each<[unknown, string]>([
    [42, 'another port: http://127.0.0.1:<port>42'],
    ['no-slash', 'glued to the port'],
    ['/cb?x=1#f', 'a fragment (RFC 6749 §3.1.2: MUST NOT)'],
    ['//evil.test/cb', 'another host for the browser'],
    ['/a b', 'a path the browser writes otherwise'],
    ['/a/../cb', 'dot segments the browser removes'],
    ['/cb?state=s', 'a response parameter the server adds again'],
  ])('%j: %s', async (path) => {
    await refuses(() => listenOnLoopback(path as string), 'path');
  });

  it('gives a redirect URI on the loopback listener that ends with the path, or a TypeError', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.webPath(),
          fc.webPath().map((p) => `/${p}`),
        ),
        async (path) => {
          let listener: LoopbackListener;
          try {
            listener = await listenOnLoopback(path);
          } catch (error) {
            if (error instanceof TypeError) return;
            throw error;
          }
          const uri = new URL(listener.redirectUri);
          await listener.close();
          expect(uri.origin).toBe(`http://127.0.0.1:${listener.port}`);
          expect(uri.pathname + uri.search).toBe(path);
          expect(uri.hash).toBe('');
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each([
    ['port', ['/callback', '8080']],
    ['port', ['/callback', Number.NaN]],
    ['port', ['/callback', 70_000]],
    ['hosts', ['/callback', 0, []]],
    ['hosts', ['/callback', 0, 'localhost']],
    // RFC 8252 §8.3: a name may resolve to something other than the loopback interface.
    ['hosts', ['/callback', 0, ['localhost']]],
  ])('a wrong %s: TypeError', async (name, args) => {
    const listen = listenOnLoopback as (...args: unknown[]) => Promise<unknown>;
    await refuses(() => listen(...args), name);
  });
});

describe('createNodeAuthClient and login check their options (TypeError naming the option)', () => {
  it.each<[string, Record<string, unknown>]>([
    ['issuer', { issuer: 42 }],
    ['domain', { issuer: undefined, domain: ['tenant.auth0.com'] }],
    ['storage', { storage: {} }],
    [
      'storage',
      { storage: { get: () => undefined, set: () => undefined, remove: () => undefined, withLock: 1 } },
    ],
    // Wrapped by this package before core sees it, so core cannot tell it was wrong.
    ['fetch', { fetch: 42 }],
  ])('%s', async (name, options) => {
    await refuses(() => createNodeAuthClient({ ...client, ...options } as NodeAuthClientOptions), name);
  });

  it('loginWithLoopback rejects for a bad client option as for a bad login option, never throwing at the call', async () => {
    for (const [name, value] of [
      ['storage', {}],
      ['leeway', '60'],
      ['port', 'x'],
    ] as const) {
      let pending: Promise<unknown> | undefined;
      expect(() => {
        pending = loginWithLoopback({ ...client, ...quiet, [name]: value } as never);
      }).not.toThrow();
      await refuses(() => pending, name);
    }
  });

  it('names the options object itself when there is none', async () => {
    await refuses(() => createNodeAuthClient(null as unknown as NodeAuthClientOptions), 'options');
  });

  it.each<[string, unknown]>([
    ['port', '8484'],
    ['port', -1],
    // setTimeout cannot hold these: the login would time out at once.
    ['callbackTimeout', Number.POSITIVE_INFINITY],
    ['callbackTimeout', 2 ** 31],
    ['callbackTimeout', Number.NaN],
    ['callbackTimeout', 0],
    ['callbackTimeout', '300000'],
    ['openBrowser', 'firefox'],
    ['openBrowser', true],
    ['print', console],
    ['signal', {}],
    ['cancelOnSigint', 'no'],
    ['authorizationParams', 'prompt=login'],
    ['appName', ''],
    ['appName', 42],
  ])('login: %s %j', async (name, value) => {
    await refuses(() => createNodeAuthClient(client).login({ ...quiet, [name]: value }), name);
    await refuses(() => loginWithLoopback({ ...client, ...quiet, [name]: value }), name);
  });
});

describe('the token file and its lock check their arguments', () => {
  it('withFileLock: a path that is not a non-empty string, a task that is not a function', async () => {
    // `''` looped for ever: its directory `.` exists, and opening `''` is ENOENT however often it is made.
    await refuses(() => withFileLock('', task, { waitFor: 100 }), 'path');
    await refuses(() => withFileLock(42 as unknown as string, task), 'path');
    await refuses(() => withFileLock('x.lock', 'task' as unknown as () => Promise<string>), 'task');
  });

  it.each<[string, unknown]>([
    // NaN: `Date.now() - started > NaN` is never true, so the wait would never end.
    ['waitFor', Number.NaN],
    ['waitFor', '100'],
    ['staleAfter', -1],
    ['pollEvery', Number.POSITIVE_INFINITY],
    ['onWait', 'print'],
  ])('withFileLock: %s %j', async (name, value) => {
    await refuses(() => withFileLock('x.lock', task, { [name]: value }), name);
  });

  it('fileTokenStorage: a path that is not a non-empty string (a number would be a file descriptor)', async () => {
    await refuses(() => fileTokenStorage(3 as unknown as string), 'path');
    await refuses(() => fileTokenStorage(''), 'path');
    await refuses(
      () => fileTokenStorage('t.json', { ownDirectory: 'yes' as unknown as boolean }),
      'ownDirectory',
    );
    await refuses(
      () => fileTokenStorage('t.json', { onLockWait: true as unknown as () => void }),
      'onLockWait',
    );
  });

  it('userConfigDir, defaultTokenFile and browserCommand', async () => {
    const noEnv = null as unknown as NodeJS.ProcessEnv;
    await refuses(() => userConfigDir(42 as unknown as string, {}, '/home/u'), 'platform');
    await refuses(() => userConfigDir('linux', noEnv, '/home/u'), 'env');
    await refuses(() => userConfigDir('linux', {}, ''), 'home');
    await refuses(() => defaultTokenFile(''), 'configDir');
    await refuses(() => browserCommand(42 as unknown as string, {}), 'platform');
    await refuses(() => browserCommand('linux', noEnv), 'env');
  });
});

describe('the CLI', () => {
  it('refuses a --timeout longer than a timer holds (it would fire at once)', () => {
    expect(timeoutOf({ timeout: '2147483' })).toBe(2_147_483_000);
    expect(() => timeoutOf({ timeout: '2147484' })).toThrow(UsageError);
  });
});
