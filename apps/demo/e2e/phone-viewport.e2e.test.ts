import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBrowser } from './browser.js';
import { alice, demoUrl, expectStatus, signIn } from './demo.js';

const browser = useBrowser();

/** How far the page is wider than the viewport (0 when nothing overflows sideways). */
function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe.each([360, 390])('at %i px wide', (width) => {
  it('nothing overflows sideways and Sign in is on screen, signed out and signed in', async () => {
    const page = await browser.newPage();
    await page.setViewportSize({ width, height: 780 });
    await page.goto(demoUrl('/'));
    await expectStatus(page, 'unauthenticated');
    expect(await overflow(page)).toBe(0);
    const box = await page.getByRole('banner').getByRole('button', { name: 'Sign in' }).boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(width);

    await signIn(page, alice);
    for (const path of ['/', '/appointments', '/profile']) {
      await page.goto(demoUrl(path));
      await expectStatus(page, 'authenticated');
      expect({ path, overflow: await overflow(page) }).toEqual({ path, overflow: 0 });
    }
  });
});
