import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, type TestContext } from 'vitest';
import { assertChromium, CHROMIUM, CHROMIUM_ARGS } from '../../../scripts/chromium.js';

const RESULTS_DIR = join(import.meta.dirname, '..', 'test-results');

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

/**
 * One Chromium per test file, a fresh context (own cookies and storage) per `newContext()`, closed
 * after each test. A failing test leaves a screenshot and the console log of each of its pages in
 * test-results/. `args` go to Chromium after the usual ones.
 */
export function useBrowser({ args = [] }: { args?: readonly string[] } = {}) {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const logs = new Map<Page, string[]>();

  beforeAll(async () => {
    assertChromium();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS, ...args],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async (context: TestContext) => {
    if (context.task.result?.state === 'fail') await saveArtefacts(context.task.name);
    await Promise.all(contexts.splice(0).map((c) => c.close()));
    logs.clear();
  });

  async function saveArtefacts(testName: string) {
    await mkdir(RESULTS_DIR, { recursive: true });
    let index = 0;
    for (const [page, lines] of logs) {
      const base = join(RESULTS_DIR, `${slug(testName)}-page${index++}`);
      await writeFile(`${base}.log`, `${page.url()}\n${lines.join('\n')}\n`);
      if (!page.isClosed())
        await page.screenshot({ path: `${base}.png`, fullPage: true }).catch(() => undefined);
    }
  }

  function track(page: Page) {
    const lines: string[] = [];
    logs.set(page, lines);
    page.on('console', (message) => lines.push(`[${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => lines.push(`[pageerror] ${error.message}`));
    page.on('requestfailed', (request) =>
      lines.push(
        `[requestfailed] ${request.method()} ${request.url()} ${request.failure()?.errorText ?? ''}`,
      ),
    );
  }

  return {
    async newContext(): Promise<BrowserContext> {
      if (!browser) throw new Error('useBrowser(): the browser starts in beforeAll');
      const context = await browser.newContext();
      context.on('page', track);
      contexts.push(context);
      return context;
    },
    async newPage(): Promise<Page> {
      return (await this.newContext()).newPage();
    },
  };
}
