import { InvalidDpopProofError, ReplayStoreUnavailableError } from '../errors.js';
import type { ReplayStore } from './replay-store.js';

export interface ReplayGuardOptions {
  store: ReplayStore;
  timeout: number;
  retryAfter: number;
  log: (line: string) => void;
}

/** Remembers a proof; rejects when it was seen before, or when the store did not answer in time. */
export type RememberProof = (jkt: string, jti: string, ttlMs: number) => Promise<void>;

/**
 * A store's answer within `ms`. A store may answer synchronously (a plain boolean) or throw: called
 * inside a promise's executor, a value is adopted and a throw is a rejection (a store failure).
 */
function answerWithin<T>(call: () => T | Promise<T>, ms: number): Promise<T> {
  const promise = new Promise<T>((resolve) => resolve(call()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/**
 * Replay detection (RFC 9449 §11.1) that fails closed: a proof is accepted only once the store has
 * said it is new. While the store is unreachable every DPoP request gets 503 with `Retry-After`; one
 * line is logged when it goes away and one when it is back; each request tries again, so it
 * recovers on its own.
 */
export function createReplayGuard({ store, timeout, retryAfter, log }: ReplayGuardOptions): RememberProof {
  let down = false;
  return async (jkt, jti, ttlMs) => {
    // Keyed by the key's thumbprint too, so one client's `jti` can never block another's proof. The
    // thumbprint is base64url (no `:`), so the key splits back into the two as they came.
    const key = `${jkt}:${jti}`;
    const ttl = Math.max(1000, Math.ceil(ttlMs));
    let stored: boolean;
    try {
      stored = await answerWithin(() => store.setIfAbsent(key, ttl), timeout);
    } catch (cause) {
      if (!down) {
        down = true;
        const reason = cause instanceof Error ? cause.message : String(cause);
        log(
          `@grantflow/express: DPoP replay store unreachable (${reason}); answering 503 to DPoP requests until it is back`,
        );
      }
      throw new ReplayStoreUnavailableError(retryAfter, { cause });
    }
    if (down) {
      down = false;
      log('@grantflow/express: DPoP replay store is back; DPoP requests are accepted again');
    }
    if (!stored) throw new InvalidDpopProofError('DPoP proof replayed');
  };
}
