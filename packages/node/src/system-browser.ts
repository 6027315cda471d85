import { spawn } from 'node:child_process';
import { checkArgument, OBJECT, TEXT } from './checks.js';

/** Opens `url` for the user; resolves `false` (or throws) when it could not, and the URL is printed instead. */
export type BrowserOpener = (url: string) => boolean | void | Promise<boolean | void>;

type Env = Record<string, string | undefined>;

/** The command that opens a URL on this platform, or `undefined` when there is no browser to open. */
export function browserCommand(platform: string, env: Env): string[] | undefined {
  checkArgument(platform, 'platform', TEXT);
  checkArgument(env, 'env', OBJECT);
  // `BROWSER` (a colon-separated list, as `xdg-open` and Python's webbrowser read it) wins everywhere.
  const chosen = env.BROWSER?.split(':').find(Boolean);
  if (chosen) return [chosen];
  if (platform === 'darwin') return ['open'];
  if (platform === 'win32') return ['rundll32', 'url.dll,FileProtocolHandler'];
  // Elsewhere a browser needs a display: none over plain SSH, in containers or CI.
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return undefined;
  return ['xdg-open'];
}

/**
 * Milliseconds in which an opener's failing exit still counts: `BROWSER=/bin/false`, or `xdg-open` with
 * no browser configured, starts and then fails at once.
 */
const EARLY_EXIT = 1500;

/**
 * Starts the command; `true` once it exits 0 or is still running after `EARLY_EXIT`, `false` when it
 * cannot start or exits otherwise before then. The login does not wait on this answer: the window only
 * decides whether "No browser could be opened" is added.
 */
function run(file: string, args: string[]): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const child = spawn(file, args, { detached: true, stdio: 'ignore', windowsHide: true });
    child.once('error', () => resolve(false));
    child.once('spawn', () => {
      // Neither the browser nor the window keeps the app's process alive.
      child.unref();
      const window = setTimeout(() => resolve(true), EARLY_EXIT);
      window.unref();
      child.once('exit', (exitCode) => {
        clearTimeout(window);
        resolve(exitCode === 0);
      });
    });
  });
}

/**
 * The default opener: the platform's own command, detached, its output ignored (no shell, so the URL is
 * one argument whatever it contains). `undefined` where no browser can be opened.
 */
export function systemBrowser(platform: string = process.platform, env: Env = process.env) {
  const command = browserCommand(platform, env);
  if (!command) return undefined;
  const [file = '', ...args] = command;
  const opener: BrowserOpener = (url) => run(file, [...args, url]);
  return opener;
}
