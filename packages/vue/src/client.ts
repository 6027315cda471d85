import type { AuthClient } from '@grantflow/core';

/**
 * The part of the core's `AuthClient` this binding needs: any object with these methods (a real client,
 * the testing fake, a wrapper) can be installed. The plugin provides it with the core's other methods,
 * answered for it where it lacks them (see `authClientKey`).
 */
export type AuthClientLike = Partial<Pick<AuthClient, OptionalMethods>> &
  Pick<
    AuthClient,
    | 'getSnapshot'
    | 'subscribe'
    | 'loginWithRedirect'
    | 'handleRedirectCallback'
    | 'isCallbackUrl'
    | 'isSilentCallback'
    | 'getAccessToken'
    | 'checkSession'
    | 'logout'
    | 'destroy'
  >;

/** Methods of newer cores (and of the opt-in modules): a client or fake without them still installs. */
type OptionalMethods =
  | 'loginWithPopup'
  | 'getAccessTokenWithPopup'
  | 'forwardPopupCallback'
  | 'isLoginCallback'
  | 'getUserInfo'
  | 'getIdTokenClaims'
  | 'createDpopProof'
  | 'onRenewal';

type Method = (...args: unknown[]) => unknown;

/** Every method of the core's client; the compiler keeps the list whole. */
const METHODS = Object.keys({
  getSnapshot: 0,
  subscribe: 0,
  buildAuthorizeUrl: 0,
  loginWithRedirect: 0,
  handleRedirectCallback: 0,
  isCallbackUrl: 0,
  isLoginCallback: 0,
  isSilentCallback: 0,
  getAccessToken: 0,
  loginWithPopup: 0,
  getAccessTokenWithPopup: 0,
  forwardPopupCallback: 0,
  getUserInfo: 0,
  createDpopProof: 0,
  onRenewal: 0,
  getUser: 0,
  getIdTokenClaims: 0,
  isAuthenticated: 0,
  checkSession: 0,
  logout: 0,
  destroy: 0,
} satisfies Record<keyof AuthClient, 0>) as (keyof AuthClient)[];

// What a client lacking a method answers: a core without that module sends no renewal event, forwards
// no popup's callback and knows of no login callback; any other method rejects with a TypeError.
const STAND_INS: Partial<Record<keyof AuthClient, Method>> = {
  onRenewal: () => () => undefined,
  forwardPopupCallback: () => Promise.resolve(false),
  isLoginCallback: () => Promise.resolve(false),
};

const unavailable = (name: string) => () =>
  Promise.reject(
    new TypeError(`${name} is not available: the client has no such method (update @grantflow/core)`),
  );

// One per client: plugins given the same client share its start-up, which is keyed by the client.
const completed = new WeakMap<AuthClientLike, AuthClient>();

/**
 * `client` with every method of the core's `AuthClient` (what `authClientKey` provides): itself when it
 * has them all (a core client, the testing one), else a client calling its methods (looked up at each
 * call) that answers for the missing ones.
 */
export function completeClient(client: AuthClientLike): AuthClient {
  const given = client as unknown as Partial<Record<keyof AuthClient, Method>>;
  if (METHODS.every((name) => typeof given[name] === 'function')) return client as AuthClient;
  let complete = completed.get(client);
  if (!complete) {
    const call =
      (name: keyof AuthClient) =>
      (...args: unknown[]) => {
        const own = given[name];
        return typeof own === 'function'
          ? own.apply(client, args)
          : (STAND_INS[name] ?? unavailable(name))(...args);
      };
    complete = Object.fromEntries(METHODS.map((name) => [name, call(name)])) as unknown as AuthClient;
    completed.set(client, complete);
  }
  return complete;
}

export type {
  AccessTokenResponse,
  AuthSnapshot,
  PopupTokenOptions,
  RenewalEvent,
  AuthStatus,
  DpopProofRequest,
  GetAccessToken,
  GetAccessTokenOptions,
  GrantflowError,
  IdTokenClaims,
  LoginOptions,
  LogoutOptions,
  User,
} from '@grantflow/core';
