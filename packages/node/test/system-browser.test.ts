import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserCommand, systemBrowser } from '../src/index.js';
import { commandOpener } from '../src/system-browser.js';
import { tempDirs } from './support.js';

const tempDir = tempDirs();
const URL = 'http://127.0.0.1:1/';
// A URL a shell would split, expand or run: it must reach the browser as one argument, unchanged.
const TRICKY = "http://127.0.0.1:1/callback?a=1&b=$(touch x) 'q' %s;";
// A window no loaded machine outlasts: the answer comes from the opener's exit, not from the timer.
const LONG = 600_000;

describe('browserCommand', () => {
  it("uses the platform's opener", () => {
    expect(browserCommand('darwin', {})).toEqual(['open']);
    expect(browserCommand('win32', {})).toEqual(['rundll32', 'url.dll,FileProtocolHandler']);
    expect(browserCommand('linux', { DISPLAY: ':0' })).toEqual(['xdg-open']);
    expect(browserCommand('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toEqual(['xdg-open']);
  });

  it('has none on a Unix without a display (SSH, containers, CI)', () => {
    expect(browserCommand('linux', {})).toBeUndefined();
    expect(systemBrowser('linux', {})).toBeUndefined();
  });

  it('prefers $BROWSER, the first of a colon-separated list', () => {
    expect(browserCommand('linux', { BROWSER: 'firefox:chromium' })).toEqual(['firefox']);
    expect(browserCommand('darwin', { BROWSER: '/opt/b' })).toEqual(['/opt/b']);
  });

  it('reads each $BROWSER entry as words: a command and its arguments, no shell', () => {
    expect(browserCommand('linux', { BROWSER: 'mybrowser --new-window:other' })).toEqual([
      'mybrowser',
      '--new-window',
    ]);
    expect(browserCommand('linux', { BROWSER: '  :  mybrowser \t %s  ' })).toEqual(['mybrowser', '%s']);
  });

  it('reads an entry naming an existing program whole: a path with spaces in it is one program', async () => {
    const program = join(await tempDir(), 'Google Chrome');
    await writeFile(program, '#!/bin/sh\n');
    expect(browserCommand('linux', { BROWSER: program })).toEqual([program]);
    expect(browserCommand('linux', { BROWSER: `${program} --new-window` })).toEqual([
      ...program.split(' '),
      '--new-window',
    ]);
  });

  it.each([
    ['appends the URL as the last argument when no %s is given', '--new-window', ['--new-window', TRICKY]],
    ['puts the URL where %s is', '%s --new-window', [TRICKY, '--new-window']],
    ['fills %s inside a word, and reads %% as %', '--url=%s --100%%', [`--url=${TRICKY}`, '--100%']],
  ])('$BROWSER with arguments: %s, the URL one argument', async (_name, args, expected) => {
    const dir = await tempDir();
    const recorder = join(dir, 'browser.sh');
    const log = join(dir, 'argv');
    // Writes each argument it gets on a line of its own, as a browser would receive them.
    await writeFile(recorder, `#!/bin/sh\nprintf '%s\\n' "$@" > '${log}'\n`);
    await chmod(recorder, 0o755);
    const open = systemBrowser('linux', { BROWSER: `${recorder} ${args}` });
    expect(await open!(TRICKY)).toBe(true);
    expect(await readFile(log, 'utf8')).toBe(expected.map((arg) => `${arg}\n`).join(''));
  });

  it('reports a browser command that does not exist as not opened', async () => {
    const open = systemBrowser('linux', { BROWSER: '/nonexistent/browser' });
    expect(await open!(URL)).toBe(false);
  });

  it('reports an opener that starts but fails at once (BROWSER=/bin/false) as not opened', async () => {
    expect(await commandOpener(['/bin/false'], LONG)(URL)).toBe(false);
  });

  it('sees an exit that came while the event loop stalled past the window, before the window', async () => {
    const opened = commandOpener(['/bin/false'], 50)(URL);
    // Started (the window runs from here), then the event loop is busy well past both window and exit.
    await new Promise((resolve) => setImmediate(resolve));
    const busyUntil = Date.now() + 1000;
    while (Date.now() < busyUntil);
    expect(await opened).toBe(false);
  });

  it('reports an opener that exits 0, or keeps running (the browser itself), as opened', async () => {
    expect(await commandOpener(['/bin/true'], LONG)(URL)).toBe(true);
    const dir = await tempDir();
    const browser = join(dir, 'browser.sh');
    const pidFile = join(dir, 'browser.pid');
    await writeFile(browser, `#!/bin/sh\necho $$ > '${pidFile}'\nexec sleep 60\n`);
    await chmod(browser, 0o755);
    try {
      expect(await commandOpener([browser], 200)(URL)).toBe(true);
    } finally {
      // The stand-in browser is killed, not left running its minute.
      await expect.poll(() => readFile(pidFile, 'utf8').catch(() => '')).toMatch(/^\d+\n$/);
      process.kill(Number(await readFile(pidFile, 'utf8')), 'SIGKILL');
    }
  });
});
