import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { join } from 'node:path';
import { signIn } from '@grantflow/dev-idp';
import { ALICE } from './support.js';

const CLI = join(import.meta.dirname, '..', 'dist', 'cli.js');

export interface CliRun {
  child: ChildProcess;
  /** Everything written so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves with the first match on stderr, waiting for more output as needed. */
  waitForStderr(pattern: RegExp): Promise<RegExpExecArray>;
  /** Resolves with the exit code (or the signal's name). */
  exit: Promise<number | string>;
}

/** Starts the built `grantflow` bin as a child process, with only the given environment. */
export function startCli(args: string[], env: Record<string, string>): CliRun {
  return startProcess(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env } });
}

/** Starts any command as a child process, its output recorded as `startCli`'s is. */
export function startProcess(command: string, args: string[], options: SpawnOptions): CliRun {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const waiter of waiters) waiter();
  });
  const exit = new Promise<number | string>((resolve) =>
    child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exit,
    waitForStderr(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(stderr);
          if (!match) return;
          waiters.delete(check);
          resolve(match);
        };
        waiters.add(check);
        void exit.then(() => {
          waiters.delete(check);
          reject(new Error(`grantflow exited without printing ${pattern}; stderr:\n${stderr}`));
        });
        check();
      });
    },
  };
}

/** Runs the bin (or what `start` starts) to completion. */
export async function runCli(args: string[], env: Record<string, string>, start = startCli) {
  const run = start(args, env);
  const code = await run.exit;
  return { code, stdout: run.stdout, stderr: run.stderr };
}

export const AUTHORIZE_URL = /https?:\/\/\S+\/authorize\?\S+/;

/** A user's environment: a home and XDG config directory of its own, the dev IdP where `pnpm dev` puts it. */
export const userEnvIn = (home: string, idpPort: number) => ({
  HOME: home,
  XDG_CONFIG_HOME: join(home, 'config'),
  IDP_PORT: String(idpPort),
});

export const tokenFile = (env: { XDG_CONFIG_HOME: string }) =>
  join(env.XDG_CONFIG_HOME, 'grantflow', 'tokens.json');

/** `grantflow login --no-browser`, with the test signing in at the printed URL as a browser would. */
export async function loginWithCli(
  env: Record<string, string>,
  args: string[] = [],
  consent: 'allow' | 'deny' = 'allow',
  start: (args: string[], env: Record<string, string>) => CliRun = startCli,
) {
  const run = start(['login', '--no-browser', ...args], env);
  const [url] = await run.waitForStderr(AUTHORIZE_URL);
  await run.waitForStderr(/waiting for the browser/i);
  const callback = await signIn(url, ALICE, { consent });
  const page = await fetch(callback);
  return { code: await run.exit, stdout: run.stdout, stderr: run.stderr, url: new URL(url), page };
}
