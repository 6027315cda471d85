import { readdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { close, listen, serveBuild } from '@grantflow/demo/e2e/stack.ts';
import { DEFAULT_AUDIENCE, DEFAULT_CLIENT_ID, startDevIdp } from '@grantflow/dev-idp';
import { build } from 'vite';

/** What the tests know about the running servers (plain data: it crosses to the test workers). */
export interface CompatStack {
  issuer: string;
  apiUrl: string;
  /** The page of each SDK, on one origin. */
  pages: Record<'auth0-spa-js' | 'auth0-spa-js-default' | 'auth0-vue' | 'oidc-client-ts', string>;
}

const PAGES_DIR = join(import.meta.dirname, '..', 'pages');

/**
 * The dev IdP and apps/api as `pnpm dev` runs them (issuer `http://localhost:PORT/`), and one unchanged
 * app per SDK, built with Vite and served from one origin, all on free loopback ports.
 */
export async function startCompatStack(): Promise<{ info: CompatStack; close: () => Promise<void> }> {
  const pagesServer = createServer();
  const origin = `http://localhost:${await listen(pagesServer)}`;
  const pages = {
    'auth0-spa-js': `${origin}/auth0-spa-js.html`,
    'auth0-spa-js-default': `${origin}/auth0-spa-js-default.html`,
    'auth0-vue': `${origin}/`,
    'oidc-client-ts': `${origin}/oidc-client-ts.html`,
  };
  const closers: (() => Promise<void>)[] = [() => close(pagesServer)];
  try {
    const idp = await startDevIdp({
      port: 0,
      quiet: true,
      redirectUris: Object.values(pages),
      postLogoutRedirectUris: Object.values(pages),
      corsOrigins: [origin],
    });
    closers.push(() => idp.close());

    const { createApp } = await import('@grantflow/api/src/app.ts');
    const apiServer = createServer(
      createApp({ issuerBaseURL: idp.issuer, audience: DEFAULT_AUDIENCE, corsOrigins: [origin] }),
    );
    const apiUrl = `http://localhost:${await listen(apiServer)}`;
    closers.push(() => close(apiServer));

    // Built as an app is deployed: a built page costs Chromium about half the CPU of a dev server's.
    const outDir = join(import.meta.dirname, '..', 'node_modules', '.e2e-build');
    const htmlFiles = (await readdir(PAGES_DIR)).filter((file) => file.endsWith('.html'));
    await build({
      root: PAGES_DIR,
      configFile: false,
      logLevel: 'error',
      define: Object.fromEntries(
        Object.entries({
          VITE_ISSUER: idp.issuer,
          VITE_CLIENT_ID: DEFAULT_CLIENT_ID,
          VITE_AUDIENCE: DEFAULT_AUDIENCE,
          VITE_API_URL: apiUrl,
        }).map(([name, value]) => [`import.meta.env.${name}`, JSON.stringify(value)]),
      ),
      build: {
        target: 'es2022',
        outDir,
        emptyOutDir: true,
        rollupOptions: { input: htmlFiles.map((file) => join(PAGES_DIR, file)) },
      },
    });
    pagesServer.on('request', serveBuild(outDir));
    return { info: { issuer: idp.issuer, apiUrl, pages }, close: () => closeAll(closers) };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

async function closeAll(closers: (() => Promise<void>)[]): Promise<void> {
  for (const closer of closers.reverse()) await closer();
}
