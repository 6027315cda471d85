import type { MessageEventLike, PopupWindowLike } from './popup.js';
/** The Web Locks API as the client uses it (`navigator.locks`). */
export interface LockManagerLike {
  request<T>(name: string, callback: (lock: unknown) => Promise<T>): Promise<T>;
  request<T>(
    name: string,
    options: { ifAvailable?: boolean },
    callback: (lock: unknown) => Promise<T>,
  ): Promise<T>;
}

export interface BroadcastChannelLike {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(id: unknown): void;
}

/** The parts of the app's window the popup and automatic renewal use. */
export interface WindowLike {
  open(url: string, target: string, features: string): PopupWindowLike | null;
  addEventListener(type: string, listener: (event: MessageEventLike) => void): void;
  removeEventListener(type: string, listener: (event: MessageEventLike) => void): void;
  /** The window that opened this one (a popup's app), if any. */
  readonly opener: { postMessage(message: unknown, targetOrigin: string): void } | null;
}

/** The parts of a document a hidden iframe needs. */
export type DocumentLike = Pick<Document, 'createElement' | 'body'>;

/**
 * Everything outside the client that it reads or changes, besides `fetch`, the clock, navigation and
 * randomness (their own options). Each member defaults to the runtime's own where it has one; pass a
 * member (even `undefined`) to replace it. Members left `undefined` mean "not here" (Node, SSR, workers).
 */
export interface Environment {
  document: DocumentLike | undefined;
  location: Pick<Location, 'href' | 'assign'> | undefined;
  /** The app's window: popups, `message` and `online`/`focus` events. */
  window: WindowLike | undefined;
  history: Pick<History, 'state' | 'replaceState'> | undefined;
  /** Web Locks, for cross-tab coordination. */
  locks: LockManagerLike | undefined;
  BroadcastChannel: (new (name: string) => BroadcastChannelLike) | undefined;
  sessionStorage: Storage | undefined;
  localStorage: Storage | undefined;
  /** This page runs inside a frame (a hidden iframe's silent authorization lands there). */
  framed: boolean;
  timers: Timers;
  crypto: Pick<Crypto, 'getRandomValues' | 'subtle'>;
  /** Where the `proof` module keeps its key pair by default (browsers); absent: in memory. */
  indexedDB: IDBFactory | undefined;
}

/*
 * The only module of core that reads the runtime's globals: everything else is handed an `Environment`
 * (lint enforces it), so tests pass their own and the compiler sees where a document may be missing.
 */

/** The runtime's timers, looked up at call time (browsers refuse a detached `setTimeout`). */
export const platformTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (id) => globalThis.clearTimeout(id as number),
  setInterval: (callback, ms) => globalThis.setInterval(callback, ms),
  clearInterval: (id) => globalThis.clearInterval(id as number),
};

export const platformFetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
  globalThis.fetch(input, init);

export const platformCrypto = (): Environment['crypto'] => globalThis.crypto;

/** The runtime globals the defaults come from: `globalThis`, or what a test hands in. */
export type Runtime = Partial<
  Pick<
    typeof globalThis,
    | 'document'
    | 'location'
    | 'window'
    | 'history'
    | 'navigator'
    | 'BroadcastChannel'
    | 'sessionStorage'
    | 'localStorage'
    | 'self'
    | 'top'
    | 'crypto'
    | 'indexedDB'
  >
>;

/** Reading `sessionStorage` (or `indexedDB`) itself throws where storage is blocked (sandboxed iframes, some privacy modes). */
function webStorage<K extends 'sessionStorage' | 'localStorage' | 'indexedDB'>(
  runtime: Runtime,
  name: K,
): Runtime[K] | undefined {
  try {
    return runtime[name];
  } catch {
    return undefined;
  }
}

const framedIn = ({ self, top }: Runtime) => self !== undefined && self !== top;

/**
 * The environment, resolved once: each member given wins (even `undefined`), else the runtime's. A member
 * given is not read from the runtime at all: on a server nothing may touch a browser global.
 */
export function resolveEnvironment(
  given: Partial<Environment> = {},
  runtime: Runtime = globalThis,
): Environment {
  const member = <K extends keyof Environment>(name: K, read: () => Environment[K]): Environment[K] =>
    name in given ? (given[name] as Environment[K]) : read();
  return {
    document: member('document', () => runtime.document),
    location: member('location', () => runtime.location),
    window: member('window', () => runtime.window as unknown as WindowLike | undefined),
    history: member('history', () => runtime.history),
    locks: member('locks', () => runtime.navigator?.locks),
    BroadcastChannel: member('BroadcastChannel', () => runtime.BroadcastChannel),
    sessionStorage: member('sessionStorage', () => webStorage(runtime, 'sessionStorage')),
    localStorage: member('localStorage', () => webStorage(runtime, 'localStorage')),
    framed: member('framed', () => framedIn(runtime)),
    timers: member('timers', () => platformTimers),
    crypto: member('crypto', () => runtime.crypto as Environment['crypto']),
    indexedDB: member('indexedDB', () => webStorage(runtime, 'indexedDB')),
  };
}
