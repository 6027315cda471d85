import type { AuthorizeParams } from './authorize.js';
import { parseCallback } from './callback.js';
import type { GrantflowError } from './errors.js';
import type { ClientConfig } from './options.js';
import { sendCallbackToOpener, type OpenPopup, type PopupHandle } from './popup.js';
import { POPUP_LOGIN, type LoginOptions, type RedirectFlow } from './redirect-flow.js';
import type { AuthEvent } from './state-machine.js';
import type { TransactionStore } from './storage.js';
import type { GetAccessTokenOptions } from './token-manager.js';

export interface PopupFlowDeps {
  config: ClientConfig;
  flow: RedirectFlow;
  transactions: TransactionStore;
  send: (event: AuthEvent) => Promise<unknown>;
  report: (error: GrantflowError) => Promise<unknown>;
}

export interface PopupTokenOptions extends Omit<GetAccessTokenOptions, 'cacheMode' | 'detailedResponse'> {
  authorizationParams?: Partial<AuthorizeParams>;
}

export interface PopupMethods {
  loginWithPopup(options?: LoginOptions): Promise<{ appState: unknown }>;
  getAccessTokenWithPopup(options?: PopupTokenOptions): Promise<string>;
  forwardPopupCallback(url: string): Promise<boolean>;
}

/** Opens the window at once (a throw becomes the rejection), then signs in in it. */
function inPopup<T>(open: () => PopupHandle, signIn: (handle: PopupHandle) => Promise<T>): Promise<T> {
  let handle: PopupHandle;
  try {
    handle = open();
  } catch (error) {
    return Promise.reject(error);
  }
  return signIn(handle);
}

/** The popup sign-in: the window opens inside the caller's click, the rest is the redirect flow's. */
export function createPopupFlow(
  { config, flow, transactions, send, report }: PopupFlowDeps,
  openPopup: OpenPopup,
): PopupMethods {
  const { environment } = config;
  const origin = () => (environment.location ? new URL(environment.location.href).origin : '');
  /** Synchronous on purpose: browsers only allow `window.open` inside the user's gesture. */
  const open = (): PopupHandle => openPopup(environment.window);

  async function run(handle: PopupHandle, options: LoginOptions, overrides?: Partial<AuthorizeParams>) {
    try {
      await send({ type: 'AUTHORIZE' });
      const { url, state } = await flow.start({ ...options, [POPUP_LOGIN]: true }, overrides);
      handle.navigate(url);
      const redirectUri =
        overrides?.redirect_uri ?? options.authorizationParams?.redirect_uri ?? config.redirectUri;
      const callback = await handle.result({
        redirectUri,
        state,
        origin: origin(),
        timers: environment.timers,
      });
      // The handle resolves only with a callback URL carrying this login's `state`.
      return await flow.complete(parseCallback(callback)!);
    } catch (error) {
      handle.close();
      await report(error as GrantflowError);
      throw error;
    }
  }

  return {
    loginWithPopup: (options: LoginOptions = {}) =>
      inPopup(open, async (handle) => ({ appState: (await run(handle, options)).appState })),
    getAccessTokenWithPopup({ audience, scope, authorizationParams }: PopupTokenOptions = {}) {
      // The token this sign-in got, even one that lives no longer than the leeway (the cache would not
      // hand that one out, and an app retrying on `login_required` would open popups in a loop).
      return inPopup(open, async (handle) => {
        // Auth0's SDK takes the audience inside `authorizationParams`; the top-level one wins.
        const overrides = {
          audience: audience ?? authorizationParams?.audience ?? config.audience,
          ...(scope ? { scope } : {}),
        };
        return (await run(handle, { authorizationParams }, overrides)).accessToken;
      });
    },
    /**
     * On the redirect page inside a sign-in popup: hands the callback to the opener and returns true, so
     * this page does not spend the code. A redirect sign-in of this very tab is left alone.
     */
    async forwardPopupCallback(url: string): Promise<boolean> {
      const { window } = environment;
      if (!window?.opener || !flow.isCallbackUrl(url)) return false;
      const transaction = await transactions.peek(parseCallback(url)!.state);
      if (transaction && !transaction.popup) return false;
      return sendCallbackToOpener({ opener: window.opener, location: { href: url, origin: origin() } }, true);
    },
  };
}
