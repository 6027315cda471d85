import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

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
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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

/** Runs the bin to completion. */
export async function runCli(args: string[], env: Record<string, string>) {
  const run = startCli(args, env);
  const code = await run.exit;
  return { code, stdout: run.stdout, stderr: run.stderr };
}
