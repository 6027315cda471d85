import { parseCallback, sameEndpoint } from './callback.js';
import type { DocumentLike, Environment } from './environment.js';
import { StateMismatchError, TimeoutError, UnsupportedEnvironmentError } from './errors.js';
import type { ClientConfig } from './options.js';
import type { RedirectFlow } from './redirect-flow.js';
import type { Transaction } from './storage.js';
import { settleWithin } from './time-limit.js';
import type { TokenResponse } from './token-endpoint.js';

export interface SilentRequest {
  /** The authorization request, with `prompt=none`. */
  url: string;
  redirectUri: string;
  environment: Environment;
  timeout: number;
}

/** Runs a `prompt=none` authorization without leaving the page; resolves with the URL it ended at. */
export type SilentTransport = (request: SilentRequest) => Promise<string>;

/**
 * An opt-in module that renews tokens without a refresh token (`createAuthClient({ silentAuthorization
 * })`): given the client's redirect flow, it returns the renewal the token manager calls.
 */
export type SilentAuthorization = (context: { config: ClientConfig; flow: RedirectFlow }) => (
  audience: string | undefined,
  scope: string | undefined,
  /**
   * The session's organization (`org_id`, else `org_name`): a renewal stays in it, and its ID token
   * is checked for it.
   */
  organization?: string | undefined,
  /** A call's further `authorizationParams`, sent with the request. */
  params?: Readonly<Record<string, string>>,
) => Promise<{ response: TokenResponse; transaction: Transaction }>;

/** Silent authorization over any transport: a `prompt=none` login whose answer is exchanged. */
export function silentAuthorization(transport: SilentTransport): SilentAuthorization {
  return ({ config, flow }) =>
    async (audience, scope, organization, params) => {
      const { silentRedirectUri: redirectUri, environment, timeout } = config;
      const overrides = { prompt: 'none', redirect_uri: redirectUri, audience, scope };
      const { url, state } = await flow.start(
        { authorizationParams: params },
        organization ? { ...overrides, organization } : overrides,
      );
      try {
        // Bounded here too, so a custom transport that never answers cannot hold `checkSession()`.
        const answer = transport({ url, redirectUri, environment, timeout });
        const late = () => new TimeoutError('silent authorization');
        const params = parseCallback(await settleWithin(answer, timeout, environment.timers, late));
        if (!params) throw new StateMismatchError('no silent response');
        return await flow.exchange(params);
      } catch (error) {
        // No callback will come for it (the exchange spent it otherwise).
        await flow.discard(state);
        throw error;
      }
    };
}

/**
 * Silent authorization in a hidden iframe, for sessions without a refresh token. Only works where the
 * redirect URI is same-origin with the app (the frame's location must be read back) and the provider's
 * session cookie reaches the frame.
 */
export function hiddenIframe(): SilentAuthorization {
  return silentAuthorization(({ url, redirectUri, environment, timeout }) => {
    const { document } = environment;
    if (!document) {
      const missing = 'a hidden iframe needs a document (environment.document)';
      return Promise.reject(new UnsupportedEnvironmentError(missing));
    }
    return silentAuthorize(document, url, redirectUri, timeout, environment.timers);
  });
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
      // The frame's first page, `about:blank`, is a URL like any other, and not the redirect URI.
      const at = href ? new URL(href) : undefined;
      if (at && sameEndpoint(at, target)) finish(() => resolve(at.href));
    }, 50);
    const timer = timers.setTimeout(
      () => finish(() => reject(new TimeoutError('silent authorization'))),
      timeout,
    );
    doc.body.appendChild(iframe);
  });
}
