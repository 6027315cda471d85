import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { CALLBACK, returnFromIdp, SLOW, useDevIdp } from './callback-page.js';
import { loadPage, returnDenied } from './page-load.js';

const devIdp = useDevIdp();

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
    'is not followed out of the app (%s): the cleaned callback route stays',
    async (errorPath) => {
      await returnDenied(devIdp());
      const page = loadPage(devIdp(), { pluginOptions: { errorPath } });
      await page.plugin.ready;
      await vi.waitFor(() => expect(page.route().fullPath).toBe('/callback'), SLOW);
      await flushPromises();

      expect(page.route().fullPath).toBe('/callback');
      expect(window.location.href).toBe(CALLBACK);
      page.wrapper.unmount();
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
