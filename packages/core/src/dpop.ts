import { checkDpopOptions, checkProofRequest, httpOrigin, isNonce, refuse } from './dpop-checks.js';
import { createDpopProof as signProof, type DpopProofRequest } from './dpop-proof.js';
import { checkedKeyStore, indexedDbKeyStore, memoryKeyStore, type DpopKeyStore } from './dpop-keys.js';
import { platformCrypto } from './environment.js';
import { decodeJwt } from './id-token.js';
import type { ProofOfPossession } from './http.js';
import { internalsOf } from './internals.js';
import { randomString } from './random.js';
import { parseWwwAuthenticate } from './www-authenticate.js';

export interface DpopOptions {
  /** Names this client's key pair in the store: one key per client. Default: the client's `clientId`. */
  keyName?: string;
  /**
   * Default: IndexedDB, `indexedDB` given or else the client's `environment.indexedDB` (the browser's);
   * memory where there is none (Node, tests).
   */
  keyStore?: DpopKeyStore;
  indexedDB?: IDBFactory | undefined;
  /** Default: the client's `environment.crypto` (the runtime's WebCrypto unless the app gave another). */
  crypto?: Pick<Crypto, 'subtle' | 'getRandomValues'>;
  /** Epoch ms, for `iat`. Default: the client's `now` option (`Date.now` unless the app gave another). */
  now?: () => number;
}

/** The `proof` module: DPoP (RFC 9449) for the token endpoint and `createAuthFetch`. */
export interface Dpop extends ProofOfPossession {
  /** A proof for a request the app makes itself (send it as the `DPoP` header, the token as `DPoP <token>`). */
  createProof(request: DpopProofRequest): Promise<string>;
  /** Deletes the key pair (the client calls it at logout): the next proof uses a new key. */
  reset(): Promise<void>;
}

const DPOP_NONCE = 'dpop-nonce';
/** The key name of releases before keys were named by client. */
const LEGACY_NAME = 'default';

/** The `nonce` claim of one of our own proofs (unsigned read: we made it). */
function nonceIn(proof: string | undefined): string | undefined {
  try {
    const nonce = proof === undefined ? undefined : decodeJwt(proof).nonce;
    return typeof nonce === 'string' ? nonce : undefined;
  } catch {
    return undefined;
  }
}

/** Whether an answer asks for a (new) nonce: RFC 9449 §8 (token endpoint, 400) and §9 (resource, 401). */
function asksForNonce(status: number, headers: Headers, body: unknown): boolean {
  if (status === 400) return (body as { error?: unknown } | undefined)?.error === 'use_dpop_nonce';
  if (status !== 401) return false;
  return parseWwwAuthenticate(headers.get('www-authenticate')).some(
    (challenge) => challenge.scheme.toLowerCase() === 'dpop' && challenge.params.error === 'use_dpop_nonce',
  );
}

/** The client's key pair: where it is kept and under which name is settled at first use (after `attach`). */
function clientKeyPair(options: DpopOptions, subtle: () => SubtleCrypto) {
  let { keyName } = options;
  let keyStore = options.keyStore ?? (options.indexedDB ? indexedDbKeyStore(options.indexedDB) : undefined);
  let checked: DpopKeyStore | undefined;
  let creating: Promise<CryptoKeyPair> | undefined;
  const store = () => (checked ??= checkedKeyStore((keyStore ??= memoryKeyStore())));
  const name = () => (keyName ??= LEGACY_NAME);
  // Named by the client: a pair an earlier release kept under `default` is moved to its name, so the
  // tokens bound to it stay usable after an upgrade.
  const adoptable = options.keyName === undefined;

  async function adopt(): Promise<CryptoKeyPair | undefined> {
    const legacy = adoptable && name() !== LEGACY_NAME ? await store().get(LEGACY_NAME) : undefined;
    if (!legacy) return undefined;
    await store().add(name(), legacy);
    // Moved, not copied: a logout must not find it there again.
    await store().delete(LEGACY_NAME);
    return (await store().get(name())) ?? legacy;
  }

  async function create(): Promise<CryptoKeyPair> {
    const created = await subtle().generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ]);
    await store().add(name(), created);
    return (await store().get(name())) ?? created;
  }

  return {
    // Read from the store each time, so tabs sharing it always sign with the same key, also after
    // another tab's logout and sign-in replaced it.
    async current(): Promise<CryptoKeyPair> {
      const stored = (await store().get(name())) ?? (await adopt());
      if (stored) return stored;
      creating ??= create().finally(() => {
        creating = undefined;
      });
      return creating;
    },
    delete: () => store().delete(name()),
    attach({ clientId, environment }: Parameters<NonNullable<Dpop['attach']>>[0]) {
      keyName ??= clientId;
      if (environment.indexedDB) keyStore ??= indexedDbKeyStore(environment.indexedDB);
    },
  };
}

/**
 * DPoP (RFC 9449): a non-extractable ES256 key pair per client, kept in `keyStore`; a proof on every
 * token request and `createAuthFetch` call; the latest server nonce remembered per origin, and a
 * request the server refused for want of it sent once more with it.
 *
 * ```ts
 * createAuthClient({ ...options, proof: dpop() }); // its key in the browser's IndexedDB, named by clientId
 * ```
 */
export function dpop(options: DpopOptions = {}): Dpop {
  checkDpopOptions(options);
  // Until `attach` hands over the client's own clock and crypto (options given here win).
  let now = options.now ?? Date.now;
  let crypto = options.crypto ?? platformCrypto();
  const keys = clientKeyPair(options, () => crypto.subtle);
  const nonces = new Map<string, string>();

  async function createProof(request: DpopProofRequest): Promise<string> {
    // A bad request is refused (TypeError) before any key is made, and a bad nonce is not remembered.
    const { origin, nonce } = checkProofRequest(request);
    const time = now();
    if (!Number.isFinite(time)) refuse('now()', 'finite (epoch ms)', 'dpop()');
    if (nonce !== undefined) nonces.set(origin, nonce);
    return signProof({
      ...request,
      keyPair: await keys.current(),
      nonce: nonces.get(origin),
      now: time,
      subtle: crypto.subtle,
      jti: randomString(16, (bytes) => crypto.getRandomValues(bytes)),
    });
  }

  return {
    tokenType: 'DPoP',
    createProof,
    headers: async (request) => ({ DPoP: await createProof(request) }),
    retry({ status, headers, body, url, sent }) {
      const nonce = headers.get(DPOP_NONCE);
      const origin = httpOrigin(url);
      // A nonce that is no NQCHAR string (RFC 9449 §8.1: an empty header too), or one too long to sign into
      // every proof, is the server's bug: ignored.
      if (!isNonce(nonce) || origin === undefined) return false;
      const known = nonces.get(origin);
      nonces.set(origin, nonce);
      // Against the nonce this very proof carried: requests sent together each follow a new nonce once.
      const used = sent ? nonceIn(sent.DPoP) : known;
      return used !== nonce && asksForNonce(status, headers, body);
    },
    async reset() {
      nonces.clear();
      await keys.delete();
    },
    attach(client) {
      keys.attach(client);
      now = options.now ?? client.now;
      crypto = options.crypto ?? client.environment.crypto;
    },
  };
}

/**
 * A proof for a request the app makes itself, with the `proof` module `client` was created with:
 * send it as the `DPoP` header beside `Authorization: DPoP <accessToken>`.
 */
export function createDpopProof(client: object, request: DpopProofRequest): Promise<string> {
  // `Object()`: no client at all (null) gets the same answer, not a property read's TypeError.
  const proof = internalsOf(Object(client))?.config.proof as Partial<Dpop> | undefined;
  if (typeof proof?.createProof !== 'function') {
    throw new TypeError('createDpopProof(): the client was created without `proof: dpop()`.');
  }
  return proof.createProof(request);
}

export { indexedDbKeyStore, memoryKeyStore, type DpopKeyStore } from './dpop-keys.js';
export type { DpopProofRequest } from './dpop-proof.js';
