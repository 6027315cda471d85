import type { AuthorizeParams } from './authorize.js';
import { parseCallback } from './callback.js';
import type { GrantflowError } from './errors.js';
import type { ClientConfig } from './options.js';
import { sendCallbackToOpener, type OpenPopup, type PopupConfig, type PopupHandle } from './popup.js';
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
  loginWithPopup(options?: LoginOptions, config?: PopupConfig): Promise<{ appState: unknown }>;
  getAccessTokenWithPopup(options?: PopupTokenOptions, config?: PopupConfig): Promise<string>;
  forwardPopupCallback(url: string): Promise<boolean>;
}

/**
 * Opens the window at once (a throw becomes the rejection), then signs in in it. A newer sign-in taking
 * the window over (a double click) ends this call at once with `popup_closed`; its own steps then stop
 * at the window and clean up after themselves.
 */
function inPopup<T>(open: () => PopupHandle, signIn: (handle: PopupHandle) => Promise<T>): Promise<T> {
  let handle: PopupHandle;
  try {
    handle = open();
  } catch (error) {
    return Promise.reject(error);
  }
  return new Promise<T>((resolve, reject) => {
    handle.onRelease(reject);
    signIn(handle).then(resolve, reject);
  });
}

/** The app's origin: the only one whose messages the popup flow takes. */
const appOrigin = ({ location }: ClientConfig['environment']) =>
  location ? new URL(location.href).origin : '';

/** The sign-in in an opened popup. A failure closes it and removes its transaction (only this one's). */
async function popupSignIn(
  handle: PopupHandle,
  { config, flow, send, report }: PopupFlowDeps,
  options: LoginOptions,
  overrides?: Partial<AuthorizeParams>,
) {
  let state: string | undefined;
  try {
    await send({ type: 'AUTHORIZE' });
    const started = await flow.start({ ...options, [POPUP_LOGIN]: true }, overrides);
    state = started.state;
    handle.navigate(started.url);
    const redirectUri =
      overrides?.redirect_uri ?? options.authorizationParams?.redirect_uri ?? config.redirectUri;
    const callback = await handle.result({
      redirectUri,
      state,
      origin: appOrigin(config.environment),
      timers: config.environment.timers,
    });
    // The handle resolves only with a callback URL carrying this login's `state`.
    const completed = await flow.complete(parseCallback(callback)!);
    handle.close();
    return completed;
  } catch (error) {
    handle.close();
    if (state !== undefined) await flow.discard(state);
    // The sign-in that took the window over is the one under way: the session keeps showing it.
    if (!handle.released) await report(error as GrantflowError);
    throw error;
  }
}

/** The popup sign-in: the window opens inside the caller's click, the rest is the redirect flow's. */
export function createPopupFlow(deps: PopupFlowDeps, openPopup: OpenPopup): PopupMethods {
  const { config, flow, transactions } = deps;
  const { environment } = config;
  /** Synchronous on purpose: browsers only allow `window.open` inside the user's gesture. */
  const open = (popupConfig?: PopupConfig) => (): PopupHandle =>
    openPopup(environment.window, popupConfig, config.authorizeTimeoutInSeconds);

  return {
    loginWithPopup: (options: LoginOptions = {}, popupConfig?: PopupConfig) =>
      inPopup(open(popupConfig), async (handle) => ({
        appState: (await popupSignIn(handle, deps, options)).appState,
      })),
    getAccessTokenWithPopup(
      { audience, scope, authorizationParams }: PopupTokenOptions = {},
      popupConfig?: PopupConfig,
    ) {
      // The token this sign-in got, even one that lives no longer than the leeway (the cache would not
      // hand that one out, and an app retrying on `login_required` would open popups in a loop).
      return inPopup(open(popupConfig), async (handle) => {
        // Auth0's SDK takes the audience inside `authorizationParams`; the top-level one wins.
        const overrides = {
          audience: audience ?? authorizationParams?.audience ?? config.audience,
          ...(scope ? { scope } : {}),
        };
        return (await popupSignIn(handle, deps, { authorizationParams }, overrides)).accessToken;
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
      return sendCallbackToOpener(
        { opener: window.opener, location: { href: url, origin: appOrigin(environment) } },
        true,
      );
    },
  };
}
