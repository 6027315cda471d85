// @vitest-environment node
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { DEMO_USERS, startDevIdp, type DevIdp } from '@grantflow/dev-idp';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertChromium, CHROMIUM, CHROMIUM_ARGS } from '../../../scripts/chromium.js';

const APP_DIR = join(import.meta.dirname, 'hash-history-app');
const CLIENT_ID = 'hash-app';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };
const alice = DEMO_USERS.find((u) => u.sub === 'alice')!;

let server: Server;
let origin: string;
let idp: DevIdp;
let outDir: string;
let browser: Browser;

/** The built app: its assets, else its page (a hash router has one path). */
async function serve(path: string): Promise<{ type: string; body: Buffer }> {
  const file = path.startsWith('/assets/') ? path : '/index.html';
  return {
    type: TYPES[extname(file)] ?? 'application/octet-stream',
    body: await readFile(join(outDir, file)),
  };
}

beforeAll(async () => {
  assertChromium();
  server = createServer((request, response) => {
    serve(new URL(request.url!, 'http://app').pathname).then(
      ({ type, body }) => response.writeHead(200, { 'content-type': type }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://localhost:${(server.address() as { port: number }).port}`;
  // The redirect URI is the app's base URL: the IdP refuses one with a fragment.
  const client = { clientId: CLIENT_ID, redirectUris: [`${origin}/`], skipConsent: true };
  idp = await startDevIdp({ port: 0, quiet: true, clients: [client], corsOrigins: [origin] });
  outDir = await mkdtemp(join(tmpdir(), 'grantflow-vue-hash-'));
  await build({
    root: APP_DIR,
    configFile: false,
    logLevel: 'error',
    define: { __ISSUER__: JSON.stringify(idp.issuer), __CLIENT_ID__: JSON.stringify(CLIENT_ID) },
    build: { outDir, emptyOutDir: true },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
});

afterAll(async () => {
  await browser?.close();
  await idp?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

/** The app's line once its start-up (callback exchange or session check) is over. */
async function authLine(page: Page): Promise<string | null> {
  const line = page.getByTestId('auth');
  await line.filter({ hasNotText: 'starting' }).waitFor();
  return line.textContent();
}

describe('vue-router hash history in Chromium', () => {
  it('ends the sign-in on the hash route with no callback in the address or history; a reload keeps the session', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // The guard sends a signed-out visit to the IdP; the callback comes back to `/?code=…&state=…&iss=…`.
      await page.goto(`${origin}/#/profile`);
      await page.waitForURL((url) => url.href.startsWith(idp.issuer));
      await page.getByLabel('Email').fill(alice.email);
      await page.getByLabel('Password').fill(alice.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('route').filter({ hasText: 'profile' }).waitFor();
      expect(await authLine(page)).toBe(`authenticated ${alice.email} no error`);
      const landed = `${origin}/#/profile`;
      expect(page.url()).toBe(landed);

      // The callback's history entry was rewritten, not left behind: back (the IdP's page) and forward.
      await page.goBack();
      expect(page.url().startsWith(origin)).toBe(false);
      await page.goForward();
      expect(page.url()).toBe(landed);
      expect(await authLine(page)).toBe(`authenticated ${alice.email} no error`);

      await page.reload();
      expect(await authLine(page)).toBe(`authenticated ${alice.email} no error`);
      expect(page.url()).toBe(landed);
    } finally {
      await context.close();
    }
  });
});
