import { createHmac } from 'node:crypto';

/** Server nonces (RFC 9449 §9) derived from a shared secret and the clock: no store, any instance. */
export interface NonceSource {
  /** The nonce to hand out now (`DPoP-Nonce`). */
  current(): string;
  /** Whether `nonce` was handed out, by any instance with the same secret, in this time step or the next or last one. */
  accepts(nonce: unknown): boolean;
}

export interface NonceSourceOptions {
  secret: string | Uint8Array;
  /** Seconds a nonce is handed out for; it stays accepted one step longer. */
  step: number;
  /** Epoch milliseconds. */
  now?: () => number;
}

/**
 * nonce(n) = base64url(HMAC-SHA256(secret, "grantflow-dpop-nonce:" + n)), n = floor(now / step). The
 * step before and after are accepted too, so a nonce handed out at the end of a step stays usable
 * and instances whose clocks differ by less than a step agree.
 */
export function createNonceSource({ secret, step, now = Date.now }: NonceSourceOptions): NonceSource {
  const stepMs = step * 1000;
  const derive = (n: number): string =>
    createHmac('sha256', secret).update(`grantflow-dpop-nonce:${n}`).digest('base64url');
  let cachedStep = Number.NaN;
  let window: string[] = [];

  function accepted(): string[] {
    const n = Math.floor(now() / stepMs);
    if (n !== cachedStep) {
      cachedStep = n;
      window = [derive(n), derive(n - 1), derive(n + 1)];
    }
    return window;
  }

  return {
    current: () => accepted()[0]!,
    accepts: (nonce) => typeof nonce === 'string' && accepted().includes(nonce),
  };
}
