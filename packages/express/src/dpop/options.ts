import {
  failer,
  MAX_TIMER_MS,
  optionalFunction,
  optionalString,
  optionsObject,
  stringArray,
  type Fail,
} from '../option-checks.js';
import { createNonceSource, type NonceSource } from './nonces.js';
import { createMemoryReplayStore, type ReplayStore } from './replay-store.js';
import { createRequestUrl, type RequestUrl } from './request-url.js';

export type DpopMode = 'off' | 'allowed' | 'required';

/** Asymmetric JWS algorithms accepted for proofs, ES256 first (what browsers sign with). */
export const DPOP_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'PS256',
  'PS384',
  'PS512',
  'RS256',
  'RS384',
  'RS512',
  'EdDSA',
  // RFC 9864's fully-specified name for EdDSA over Ed25519, which oauth4webapi and openid-client sign with.
  'Ed25519',
] as const;

export interface DpopOptions {
  /** `off`: Bearer only (DPoP-bound tokens still refused as Bearer). `allowed` (default): both. `required`: DPoP only. */
  mode?: DpopMode;
  /** Proof signing algorithms accepted, advertised in the challenge's `algs`. Default `DPOP_ALGORITHMS`. */
  algorithms?: string[];
  /** Oldest proof accepted, in seconds before now (by its `iat`). Default 300. */
  iatOffset?: number;
  /** Newest proof accepted, in seconds after now (client clock ahead). Default 30. */
  iatLeeway?: number;
  /** Where accepted proofs are remembered (replay detection). Default: this process's memory. */
  replayStore?: ReplayStore;
  /** Longest wait for the replay store, in ms, before answering 503. Default 1,000. */
  replayStoreTimeout?: number;
  /** `Retry-After` seconds of a 503 when the replay store is unreachable. Default 5. */
  retryAfter?: number;
  /** Set: every proof must carry a server nonce derived from this secret (at least 32 characters or bytes). */
  nonceSecret?: string | Uint8Array;
  /** Seconds a nonce is handed out for. Default 300. */
  nonceStep?: number;
  /** The API's external base URL (e.g. `https://api.example.com`), which proofs' `htu` must name. */
  publicBaseURL?: string;
  /** Where the one line about the replay store going away or coming back goes. Default `console.warn`. */
  log?: (line: string) => void;
}

export interface ResolvedDpop {
  required: boolean;
  algorithms: ReadonlySet<string>;
  algs: string;
  iatOffset: number;
  iatLeeway: number;
  replayStore: ReplayStore;
  replayStoreTimeout: number;
  retryAfter: number;
  nonces: NonceSource | undefined;
  requestUrl: RequestUrl;
  log: (line: string) => void;
}

const KNOWN: ReadonlySet<string> = new Set(
  Object.keys({
    mode: 0,
    algorithms: 0,
    iatOffset: 0,
    iatLeeway: 0,
    replayStore: 0,
    replayStoreTimeout: 0,
    retryAfter: 0,
    nonceSecret: 0,
    nonceStep: 0,
    publicBaseURL: 0,
    log: 0,
  } satisfies Record<keyof DpopOptions, 0>),
);

const fail: Fail = failer('requireAuth()');

function seconds(value: number | undefined, fallback: number, name: string, min = 0, max = Infinity): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    fail(`'dpop.${name}' must be a number >= ${min}.`);
  }
  if (value > max) fail(`'dpop.${name}' must be at most ${max}.`);
  return value;
}

function nonceSource(options: DpopOptions): NonceSource | undefined {
  const { nonceSecret: secret } = options;
  // Checked with or without a secret, so a step given alone is still a number.
  const step = seconds(options.nonceStep, 300, 'nonceStep', 1);
  if (secret === undefined) return undefined;
  const length =
    typeof secret === 'string'
      ? Buffer.byteLength(secret)
      : secret instanceof Uint8Array
        ? secret.byteLength
        : 0;
  if (length < 32)
    fail("'dpop.nonceSecret' must be a string or Uint8Array of at least 32 characters or bytes.");
  return createNonceSource({ secret, step });
}

function proofAlgorithms(value: unknown): string[] {
  const algorithms = value === undefined ? [...DPOP_ALGORITHMS] : stringArray(value, 'dpop.algorithms', fail);
  if (
    algorithms.length === 0 ||
    algorithms.some((alg) => !(DPOP_ALGORITHMS as readonly string[]).includes(alg))
  ) {
    fail(`'dpop.algorithms' must be a non-empty subset of ${DPOP_ALGORITHMS.join(', ')}.`);
  }
  return algorithms;
}

/** The request URL proofs' `htu` must name, from `publicBaseURL` when given (an http(s) URL). */
function requestUrlOf(publicBaseURL: unknown): RequestUrl {
  optionalString(publicBaseURL, 'dpop.publicBaseURL', fail);
  if (publicBaseURL === undefined) return createRequestUrl(undefined);
  const url = URL.parse(publicBaseURL as string);
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    fail("'dpop.publicBaseURL' must be an absolute http(s) URL.");
  }
  return createRequestUrl(url!.href);
}

/** `undefined` when DPoP is off. Checked eagerly so a misconfigured API fails at start-up. */
export function resolveDpopOptions(given: DpopOptions | undefined): ResolvedDpop | undefined {
  const options = optionsObject(given, 'dpop', KNOWN, fail);
  if (options === undefined) return undefined;
  const mode = options.mode === undefined ? 'allowed' : options.mode;
  if (mode !== 'off' && mode !== 'allowed' && mode !== 'required')
    fail("'dpop.mode' must be off, allowed or required.");
  const algorithms = proofAlgorithms(options.algorithms);
  const requestUrl = requestUrlOf(options.publicBaseURL);
  const { replayStore } = options;
  if (replayStore !== undefined && typeof replayStore?.setIfAbsent !== 'function') {
    fail("'dpop.replayStore' must have a setIfAbsent(key, ttlMs) method.");
  }
  // Every option is checked under `mode: 'off'` too, so turning DPoP on later reveals no error.
  const resolved: ResolvedDpop = {
    required: mode === 'required',
    algorithms: new Set(algorithms),
    algs: algorithms.join(' '),
    iatOffset: seconds(options.iatOffset, 300, 'iatOffset'),
    iatLeeway: seconds(options.iatLeeway, 30, 'iatLeeway'),
    replayStore: replayStore ?? createMemoryReplayStore(),
    replayStoreTimeout: seconds(options.replayStoreTimeout, 1000, 'replayStoreTimeout', 1, MAX_TIMER_MS),
    retryAfter: Math.ceil(seconds(options.retryAfter, 5, 'retryAfter', 1, Number.MAX_SAFE_INTEGER)),
    nonces: nonceSource(options),
    requestUrl,
    log: optionalFunction(options.log, 'dpop.log', fail) ?? ((line) => console.warn(line)),
  };
  return mode === 'off' ? undefined : resolved;
}
