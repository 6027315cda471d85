import { describe, expect, it } from 'vitest';
import { browserCommand, systemBrowser } from '../src/index.js';

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
});
