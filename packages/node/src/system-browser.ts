import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { checkArgument, OBJECT, TEXT } from './checks.js';

/** Opens `url` for the user; resolves `false` (or throws) when it could not, and the URL is printed instead. */
export type BrowserOpener = (url: string) => boolean | void | Promise<boolean | void>;

type Env = Record<string, string | undefined>;

/**
 * A `$BROWSER` entry's words, split on whitespace as `xdg-open` splits them (no quoting, no shell),
 * unless the whole entry names a file: a program path with spaces (macOS's `Google Chrome.app/...`), as
 * Python's webbrowser takes an entry.
 */
const wordsOf = (entry: string) => {
  const whole = entry.trim();
  return whole && existsSync(whole) ? [whole] : entry.split(/\s+/).filter(Boolean);
};

/**
 * The command that opens a URL on this platform, or `undefined` when there is no browser to open. An
 * argument may hold `%s`, where the URL goes (`commandOpener`).
 */
export function browserCommand(platform: string, env: Env): string[] | undefined {
  checkArgument(platform, 'platform', TEXT);
  checkArgument(env, 'env', OBJECT);
  // `BROWSER` (a colon-separated list of commands with their arguments, as `xdg-open` reads it:
  // `firefox --new-window`, `mybrowser %s`) wins everywhere.
  const chosen = env.BROWSER?.split(':')
    .map(wordsOf)
    .find((words) => words.length > 0);
  if (chosen) return chosen;
  if (platform === 'darwin') return ['open'];
  if (platform === 'win32') return ['rundll32', 'url.dll,FileProtocolHandler'];
  // Elsewhere a browser needs a display: none over plain SSH, in containers or CI.
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined;
  return ['xdg-open'];
}

/**
 * Milliseconds in which an opener's failing exit still counts: `BROWSER=/bin/false`, or `xdg-open` with
 * no browser configured, starts and then fails at once. Generous: the login does not wait on it, and an
 * opener still running after it prints nothing either way.
 */
const EARLY_EXIT = 3000;

/**
 * Starts the command; `true` once it exits 0 or is still running after `earlyExit`, `false` when it
 * cannot start or exits otherwise before then. The window only decides whether "No browser could be
 * opened" is added.
 */
function run(file: string, args: string[], earlyExit: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const child = spawn(file, args, { detached: true, stdio: 'ignore', windowsHide: true });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      // Neither the browser nor the window keeps the app's process alive.
      child.unref();
      // After a stalled event loop the timer fires before an exit that came meanwhile is seen; the
      // immediate runs once it has been (kept ref'd: an unref'd one waits for some other event).
      const window = setTimeout(() => setImmediate(() => resolve(true)), earlyExit);
      window.unref();
      child.once('exit', (exitCode) => {
        clearTimeout(window);
        resolve(exitCode === 0);
      });
    });
  });
}

/**
 * `args` with the URL where they hold `%s` (and `%` for `%%`), as `xdg-open` fills a `$BROWSER` entry,
 * else with the URL added last. Filled per argument, so the URL stays one argument whatever it holds.
 */
function withUrl(args: string[], url: string): string[] {
  let placed = false;
  const filled = args.map((arg) =>
    arg.replace(/%[%s]/g, (escape) => {
      if (escape === '%%') return '%';
      placed = true;
      return url;
    }),
  );
  return placed ? filled : [...filled, url];
}

/** Opens a URL with `command` (the URL at its `%s`, or added as its last argument), judged by `run`. */
export function commandOpener([file = '', ...args]: string[], earlyExit = EARLY_EXIT): BrowserOpener {
  return (url) => run(file, withUrl(args, url), earlyExit);
}

/**
 * The default opener: the platform's own command, detached, its output ignored (no shell, so the URL is
 * one argument whatever it contains). `undefined` where no browser can be opened.
 */
export function systemBrowser(platform: string = process.platform, env: Env = process.env) {
  const command = browserCommand(platform, env);
  if (!command) return undefined;
  return commandOpener(command);
}
