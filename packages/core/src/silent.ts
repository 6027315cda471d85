import { sameEndpoint } from './callback.js';
import type { DocumentLike, Environment } from './environment.js';
import { TimeoutError } from './errors.js';

export interface SilentRequest {
  /** The authorization request, with `prompt=none`. */
  url: string;
  redirectUri: string;
  environment: Environment;
  timeout: number;
}

/**
 * An opt-in module that runs a `prompt=none` authorization without leaving the page and resolves with the
 * URL the server redirected to; `createAuthClient({ silentAuthorization })`.
 */
export type SilentAuthorization = (request: SilentRequest) => Promise<string>;

/**
 * Silent authorization in a hidden iframe, for sessions without a refresh token. Only works where the
 * redirect URI is same-origin with the app (the frame's location must be read back) and the provider's
 * session cookie reaches the frame.
 */
export function hiddenIframe(): SilentAuthorization {
  return ({ url, redirectUri, environment, timeout }) => {
    const { document } = environment;
    if (!document) return Promise.reject(new TypeError('a hidden iframe needs a document'));
    return silentAuthorize(document, url, redirectUri, timeout, environment.timers);
  };
}

/**
 * Runs an authorization request in a hidden iframe of `doc` and resolves with the URL it is redirected to
 * at `redirectUri`.
 */
export function silentAuthorize(
  doc: DocumentLike,
  url: string,
  redirectUri: string,
  timeout: number,
  timers: Environment['timers'],
): Promise<string> {
  const target = new URL(redirectUri);
  const iframe = doc.createElement('iframe');
  iframe.setAttribute('aria-hidden', 'true');
  iframe.style.display = 'none';
  iframe.src = url;
  return new Promise<string>((resolve, reject) => {
    const finish = (settle: () => void) => {
      timers.clearInterval(poll);
      timers.clearTimeout(timer);
      iframe.remove();
      settle();
    };
    // Polled rather than on `load`, so the redirect page is caught before its own scripts run for long.
    const poll = timers.setInterval(() => {
      let href: string | undefined;
      try {
        href = iframe.contentWindow?.location.href;
      } catch {
        // cross-origin while the authorization server has the frame
      }
      const at = href && href !== 'about:blank' ? new URL(href) : undefined;
      if (at && sameEndpoint(at, target)) finish(() => resolve(at.href));
    }, 50);
    const timer = timers.setTimeout(
      () => finish(() => reject(new TimeoutError('silent authorization'))),
      timeout,
    );
    doc.body.appendChild(iframe);
  });
}
