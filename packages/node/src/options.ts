import {
  issuerFromDomain,
  type AuthorizeParams,
  type FetchLike,
  type RandomSource,
  type StorageAdapter,
} from '@grantflow/core';
import { checkArgument, checkOptions, FUNCTION, isRecord, OBJECT, TEXT, type Rule } from './checks.js';
import { fileTokenStorage, type TokenStorage } from './file-storage.js';

export interface NodeAuthClientOptions {
  /** The OpenID Provider's issuer URL. */
  issuer?: string;
  /** Auth0 shorthand: `tenant.auth0.com` means issuer `https://tenant.auth0.com/`. */
  domain?: string;
  /** A native (public) client: no secret. */
  clientId: string;
  /** The API access tokens are for by default (Auth0's `audience`). */
  audience?: string;
  /**
   * Instead of `audience`, for a provider that takes RFC 8707 resource indicators: the default API, sent as
   * `resource` on the authorization and token requests, as is any `audience` a call names.
   */
  resource?: string;
  /** Default `openid profile email`; `offline_access` is always added, so tokens can be refreshed. */
  scope?: string;
  /** Where tokens live; default `fileTokenStorage()` (`<config dir>/grantflow/tokens.json`, mode 0600). */
  storage?: TokenStorage;
  /** Extra parameters for every login (`organization`, `prompt`, …); the default prompt: see `login`. */
  authorizationParams?: Partial<AuthorizeParams>;
  /**
   * Name the scope on every refresh: the default scope, less what the server did not grant (RFC 6749 §6),
   * as Microsoft Entra ID requires. Default false: the refresh keeps the granted scope by leaving it out.
   */
  refreshWithScope?: boolean;
  /** Seconds before expiry at which a token is no longer handed out; default 60. */
  leeway?: number;
  /** Milliseconds for each request to the server; default 10000. */
  timeout?: number;
  fetch?: FetchLike;
  /** Epoch milliseconds; default `Date.now`. */
  now?: () => number;
  random?: RandomSource;
}

export interface ResolvedNodeOptions extends NodeAuthClientOptions {
  issuer: string;
  /** The storage under this issuer's prefix, so one file holds sessions with several providers. */
  storage: StorageAdapter;
  withLock<T>(task: () => Promise<T>): Promise<T>;
}

const scoped = (storage: StorageAdapter, prefix: string): StorageAdapter => ({
  get: (key) => storage.get(prefix + key),
  set: (key, value) => storage.set(prefix + key, value),
  remove: (key) => storage.remove(prefix + key),
});

const unlocked = <T>(task: () => Promise<T>) => task();

const isStorage = (storage: unknown) =>
  isRecord(storage) &&
  ['get', 'set', 'remove'].every((method) => typeof storage[method] === 'function') &&
  ['function', 'undefined'].includes(typeof storage.withLock);

/**
 * The options this package reads or wraps before core sees them (a wrapped `fetch` or `storage` would pass
 * core's checks whatever was given); core checks the rest. `clientId`, required, is checked apart.
 */
const OPTIONS: Record<string, Rule> = {
  issuer: TEXT,
  domain: TEXT,
  storage: [isStorage, 'a TokenStorage (get, set and remove functions; withLock, if any, a function)'],
  fetch: FUNCTION,
};

export function resolveNodeOptions(options: NodeAuthClientOptions): ResolvedNodeOptions {
  checkArgument(options, 'options', OBJECT);
  checkOptions(options, OPTIONS);
  const issuer = options.issuer ?? (options.domain ? issuerFromDomain(options.domain) : undefined);
  if (!issuer) throw new TypeError('issuer or domain is required');
  if (typeof options.clientId !== 'string' || !options.clientId) throw new TypeError('clientId is required');
  const storage = options.storage ?? fileTokenStorage();
  return {
    ...options,
    issuer,
    storage: scoped(storage, `${issuer} `),
    withLock: storage.withLock ? (task) => storage.withLock!(task) : unlocked,
  };
}
