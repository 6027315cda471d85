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

const fail = (message: string): never => {
  throw new TypeError(`@grantflow/express requireAuth(): ${message}`);
};

function seconds(value: number | undefined, fallback: number, name: string, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    fail(`'dpop.${name}' must be a number >= ${min}.`);
  }
  return value;
}

function nonceSource(options: DpopOptions): NonceSource | undefined {
  const { nonceSecret: secret } = options;
  if (secret === undefined) return undefined;
  const length = typeof secret === 'string' ? Buffer.byteLength(secret) : secret?.byteLength;
  if (typeof length !== 'number' || length < 32)
    fail("'dpop.nonceSecret' must be at least 32 characters or bytes.");
  return createNonceSource({ secret, step: seconds(options.nonceStep, 300, 'nonceStep', 1) });
}

/** `undefined` when DPoP is off. Checked eagerly so a misconfigured API fails at start-up. */
export function resolveDpopOptions(options: DpopOptions | undefined): ResolvedDpop | undefined {
  if (options === undefined) return undefined;
  if (typeof options !== 'object' || options === null) fail("'dpop' must be an object.");
  const unknown = Object.keys(options).filter((key) => !KNOWN.has(key));
  if (unknown.length > 0) fail(`unknown option 'dpop.${unknown[0]}'.`);
  const mode = options.mode ?? 'allowed';
  if (mode !== 'off' && mode !== 'allowed' && mode !== 'required')
    fail("'dpop.mode' must be off, allowed or required.");
  if (mode === 'off') return undefined;
  const algorithms = options.algorithms ?? [...DPOP_ALGORITHMS];
  if (
    algorithms.length === 0 ||
    algorithms.some((alg) => !(DPOP_ALGORITHMS as readonly string[]).includes(alg))
  ) {
    fail(`'dpop.algorithms' must be a non-empty subset of ${DPOP_ALGORITHMS.join(', ')}.`);
  }
  const { publicBaseURL, replayStore } = options;
  if (publicBaseURL !== undefined && !/^https?:$/.test(URL.parse(publicBaseURL)?.protocol ?? '')) {
    fail("'dpop.publicBaseURL' must be an absolute http(s) URL.");
  }
  if (replayStore !== undefined && typeof replayStore?.setIfAbsent !== 'function') {
    fail("'dpop.replayStore' must have a setIfAbsent(key, ttlMs) method.");
  }
  return {
    required: mode === 'required',
    algorithms: new Set(algorithms),
    algs: algorithms.join(' '),
    iatOffset: seconds(options.iatOffset, 300, 'iatOffset'),
    iatLeeway: seconds(options.iatLeeway, 30, 'iatLeeway'),
    replayStore: replayStore ?? createMemoryReplayStore(),
    replayStoreTimeout: seconds(options.replayStoreTimeout, 1000, 'replayStoreTimeout', 1),
    retryAfter: Math.ceil(seconds(options.retryAfter, 5, 'retryAfter', 1)),
    nonces: nonceSource(options),
    requestUrl: createRequestUrl(publicBaseURL === undefined ? undefined : new URL(publicBaseURL).href),
    log: options.log ?? ((line) => console.warn(line)),
  };
}
