import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserOpener } from '../src/index.js';
import { ALICE, AUDIENCE, devIdpForFile, jwtPayload, tempDirs, testClient } from './support.js';
import { assertChromium, CHROMIUM, CHROMIUM_ARGS } from '../../../scripts/chromium.js';

const started = devIdpForFile();
const tempDir = tempDirs();
let browser: Browser | undefined;

beforeAll(async () => {
  assertChromium();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
});
afterAll(() => browser?.close());

describe('loopback login in a real browser', () => {
  it('signs in through the dev IdP pages in Chromium and ends on the "you can close this tab" page', async () => {
    const context = await browser!.newContext();
    const { client } = testClient(started.idp.issuer, await tempDir());
    let finished: Promise<{ url: string; text: string; referrer: string | null }> | undefined;
    const open: BrowserOpener = (url) => {
      finished = (async () => {
        const page = await context.newPage();
        let referrer: string | null = null;
        page.on('response', (response) => {
          if (response.url().startsWith('http://127.0.0.1:'))
            referrer = response.headers()['referrer-policy'] ?? null;
        });
        await page.goto(url);
        await page.getByLabel('Email').fill(ALICE.email);
        await page.getByLabel('Password').fill(ALICE.password);
        await page.getByRole('button', { name: 'Sign in' }).click();
        // RFC 8252 §8.6: a native client's login always asks for consent.
        await page.getByRole('button', { name: 'Allow' }).click();
        await page.waitForURL((at) => at.hostname === '127.0.0.1');
        await page.getByText('You can close this tab').waitFor();
        return { url: page.url(), text: (await page.textContent('body')) ?? '', referrer };
      })();
      return true;
    };
    try {
      const result = await client.login({ openBrowser: open, print: () => undefined });
      const { url, text, referrer } = await finished!;
      expect(new URL(url).pathname).toBe('/callback');
      expect(text).toContain('Signed in');
      expect(referrer).toBe('no-referrer');
      expect(jwtPayload(result.accessToken)).toMatchObject({ aud: AUDIENCE, sub: 'alice' });
    } finally {
      await context.close();
    }
  });
});
