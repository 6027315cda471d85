import { describe, expect, it, vi } from 'vitest';
import { createAuth } from '../src/index.js';
import { returnFromIdp, SLOW, useDevIdp } from './callback-page.js';
import { loadPage, returnDenied } from './page-load.js';

const devIdp = useDevIdp();
const OPTIONS = {
  issuer: 'https://idp.example/',
  clientId: 'app',
  redirectUri: 'https://app.example/callback',
};

describe("auth0-vue's errorPath", () => {
  it('is where a failed callback leaves for, replacing the callback, with the error kept', async () => {
    await returnDenied(devIdp());
    const page = loadPage(devIdp(), { pluginOptions: { errorPath: '/error?from=callback' } });
    await page.plugin.ready;
    await vi.waitFor(() => expect(page.route().fullPath).toBe('/error?from=callback'), SLOW);

    expect(window.location.pathname + window.location.search).toBe('/error?from=callback');
    expect(window.history.length).toBe(page.historyLength);
    expect(page.wrapper.text()).toContain('error|out||authorization_error');
    page.wrapper.unmount();
  });

  it('is reached behind a global guard, which starts no login there', async () => {
    await returnDenied(devIdp());
    const page = loadPage(devIdp(), { pluginOptions: { errorPath: '/error' }, guardEveryRoute: true });
    await page.plugin.ready;
    await vi.waitFor(() => expect(page.route().fullPath).toBe('/error'), SLOW);

    expect(page.wrapper.text()).toContain('error|out||authorization_error');
    expect(page.seen.navigations).toEqual([]);
    page.wrapper.unmount();
  });

  it.each([['//evil.example/error'], ['/\\evil.example'], ['https://evil.example/error'], ['error']])(
    'must be a path in the app (%s): createAuth refuses another with a TypeError',
    (errorPath) => {
      expect(() => createAuth(OPTIONS, { errorPath })).toThrow(TypeError);
      expect(() => createAuth(OPTIONS, { errorPath })).toThrow(
        'errorPath must be a path in the app, such as /error',
      );
    },
  );

  it('plays no part after a successful callback', async () => {
    await returnFromIdp(devIdp(), { returnTo: '/private/2' });
    const page = loadPage(devIdp(), { pluginOptions: { errorPath: '/error' } });
    await vi.waitFor(() => expect(page.wrapper.text()).toContain('Private page of Alice Example'), SLOW);
    expect(page.route().fullPath).toBe('/private/2');
    page.wrapper.unmount();
  });
});
