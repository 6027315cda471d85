import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserCommand, systemBrowser } from '../src/index.js';
import { tempDirs } from './support.js';

const tempDir = tempDirs();

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

  it('reports a browser command that does not exist as not opened', async () => {
    const open = systemBrowser('linux', { BROWSER: '/nonexistent/browser' });
    expect(await open!('http://127.0.0.1:1/')).toBe(false);
  });

  it('reports an opener that starts but fails at once (BROWSER=/bin/false) as not opened', async () => {
    expect(await systemBrowser('linux', { BROWSER: '/bin/false' })!('http://127.0.0.1:1/')).toBe(false);
  });

  it('reports an opener that exits 0, or keeps running (the browser itself), as opened', async () => {
    expect(await systemBrowser('linux', { BROWSER: '/bin/true' })!('http://127.0.0.1:1/')).toBe(true);
    const browser = join(await tempDir(), 'browser.sh');
    await writeFile(browser, '#!/bin/sh\nexec sleep 5\n');
    await chmod(browser, 0o755);
    expect(await systemBrowser('linux', { BROWSER: browser })!('http://127.0.0.1:1/')).toBe(true);
  });
});
