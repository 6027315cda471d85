import type { startDevIdp as StartDevIdp } from './server.js';

/** oidc-provider supports Node's LTS lines from 22 ("Jod") on, and says so at import on any other. */
const FIRST_SUPPORTED_LTS = 'Jod';

/**
 * One sentence for the start-up banner when this Node is not one oidc-provider supports (Node 20, which
 * reached end of life in April 2026, or a non-LTS release); `undefined` on Node 22, 24 and later LTS.
 */
export function runtimeNotice(
  release: { lts?: string | undefined } = process.release,
  version: string = process.version,
): string | undefined {
  const lts = release.lts;
  if (typeof lts === 'string' && lts.charCodeAt(0) >= FIRST_SUPPORTED_LTS.charCodeAt(0)) return undefined;
  const why = typeof lts === 'string' ? 'is past its end of life' : 'is not an LTS release';
  return `Node ${version} ${why}; oidc-provider supports Node 22 LTS and later. The dev IdP works, but switch to Node 24 LTS (or 22 LTS) when you can.`;
}

let server: Promise<{ startDevIdp: typeof StartDevIdp }> | undefined;

/**
 * Loads the half of the dev IdP that imports oidc-provider, without the runtime warning oidc-provider
 * prints at import on every test file's worker: the banner gives `runtimeNotice()` once instead. Loaded
 * once, so no two loads swap `console.warn` over each other.
 */
export function loadServer(): Promise<{ startDevIdp: typeof StartDevIdp }> {
  server ??= (async () => {
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      if (!String(args[0]).startsWith('oidc-provider WARNING: Unsupported runtime'))
        warn.apply(console, args);
    };
    try {
      return await import('./server.js');
    } finally {
      console.warn = warn;
    }
  })();
  return server;
}
