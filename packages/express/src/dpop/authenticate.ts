import type { Request, Response } from 'express';
import type { AuthResult } from '../auth-result.js';
import type { VerifiedTokenCache } from '../cache.js';
import { checkToken, extractToken, usesScheme, type CredentialPolicy } from '../credentials.js';
import {
  InvalidDpopProofError,
  InvalidRequestError,
  InvalidTokenError,
  UseDpopNonceError,
  type ChallengeOffer,
} from '../errors.js';
import type { VerifyToken } from '../verifier.js';
import type { ResolvedDpop } from './options.js';
import { createProofKeys, precheckProof, readProofHeader, verifyProof } from './proof.js';
import { createReplayGuard } from './replay-guard.js';
import type { ReplayStore } from './replay-store.js';

export interface DpopCredentials {
  token: string;
  proof: string;
}

export interface DpopAuthenticator {
  /** The challenges to offer for a request made with each scheme. */
  offers: { Bearer: ChallengeOffer; DPoP: ChallengeOffer };
  required: boolean;
  /** A `DPoP` scheme request's token and proof. Throws for a malformed request or a missing proof. */
  credentials(req: Request, policy: CredentialPolicy): DpopCredentials;
  /** Throws for a request of another scheme that carries a proof, or several `DPoP` headers. */
  checkBearerRequest(req: Request): void;
  /** Verifies token and proof (RFC 9449 §4.3, §7.1), the nonce (§9) and replay (§11.1). */
  authenticate(req: Request, res: Response, credentials: DpopCredentials): Promise<AuthResult>;
}

/**
 * What each replay store accepted for a request: the proof, and the end (epoch ms) of the window it
 * was told to keep it for. A request may pass several `requireAuth` (one instance mounted twice, or
 * an optional app-wide one and a route's) sharing a store: its proof is then no replay (RFC 9449
 * §11.1 means one seen in another request), so a later pass skips that store, and only that store,
 * when it already keeps the proof as long as this pass would. Any other store is asked: it may be
 * the one shared with other nodes, or be down (fail closed). Every other check runs at each pass.
 */
const acceptedProofs = new WeakMap<Request, Map<ReplayStore, { proof: string; until: number }>>();

/** When a proof made at `iat` stops being accepted (ms): `now` is compared in whole seconds, so one more. */
const acceptableUntil = (iat: number, window: { iatOffset: number; iatLeeway: number }) =>
  (iat + window.iatOffset + window.iatLeeway + 1) * 1000;

/** Remembers the request's proof until `until`, unless an earlier pass had `store` keep it as long. */
async function rememberOnce(
  req: Request,
  { store, proof, until }: { store: ReplayStore; proof: string; until: number },
  remember: () => Promise<void>,
): Promise<void> {
  let accepted = acceptedProofs.get(req);
  const earlier = accepted?.get(store);
  // A longer window than the store was given is asked of it again (which calls it replayed): the
  // store's API cannot extend a key, and skipping would let a replay through once the key expires.
  if (earlier?.proof === proof && earlier.until >= until) return;
  await remember();
  // Only once the store said it is new: a proof an earlier pass refused still meets the store here.
  if (accepted === undefined) acceptedProofs.set(req, (accepted = new Map()));
  accepted.set(store, { proof, until });
}

function boundKey(result: AuthResult): string {
  const { cnf } = result.payload as { cnf?: { jkt?: unknown } };
  if (typeof cnf?.jkt !== 'string') throw new InvalidTokenError('Token is not DPoP-bound');
  return cnf.jkt;
}

/**
 * A `DPoP` scheme request's token and proof, after the checks every request gets (`extractToken`:
 * one Authorization header, no query token unless allowed, credentials in one place only).
 */
function readDpopCredentials(req: Request, policy: CredentialPolicy): DpopCredentials {
  const proof = readProofHeader(req);
  const { token } = extractToken(req, policy, 'dpop')!;
  // RFC 9449 §4.3 check 2: the DPoP header must hold one well-formed JWT; none at all fails it, so
  // the proof is invalid (401 invalid_dpop_proof, as issue 9's answers list), not the request (400).
  if (proof === undefined) throw new InvalidDpopProofError('Missing DPoP proof');
  return { token: checkToken(token, policy), proof };
}

/** Any other request, read as Bearer: a proof beside it needs the DPoP scheme (§7.1). */
function checkBearerRequest(req: Request): void {
  if (readProofHeader(req) !== undefined && usesScheme(req, 'bearer')) {
    throw new InvalidRequestError('A DPoP proof needs the DPoP authorization scheme');
  }
}

export function createDpopAuthenticator(
  dpop: ResolvedDpop,
  verify: VerifyToken,
  cache: VerifiedTokenCache | false,
): DpopAuthenticator {
  const remember = createReplayGuard({
    store: dpop.replayStore,
    timeout: dpop.replayStoreTimeout,
    retryAfter: dpop.retryAfter,
    log: dpop.log,
  });
  const bearer = !dpop.required;
  const window = { iatOffset: dpop.iatOffset, iatLeeway: dpop.iatLeeway };
  const keys = createProofKeys();

  // The token as any other (the verified-token cache may answer); then its proof, every time.
  async function verifyBoth(req: Request, token: string, proof: string, url: string) {
    const claims = precheckProof(proof, dpop.algorithms);
    const result = (cache && cache.get(token)) || (await verifyToken(token));
    const jkt = boundKey(result);
    // htm names the method the client sent, not one rewritten by method-override (§4.3 check 8).
    const method = (req as { originalMethod?: string }).originalMethod ?? req.method;
    const key = await verifyProof(proof, claims, { method, url, token }, window, dpop.algorithms, keys);
    return { result, claims, jkt, key };
  }

  function verifyToken(token: string): Promise<AuthResult> {
    return new Promise((resolve, reject) => {
      verify(token, (err, result) => {
        if (err) return reject(err);
        if (cache) cache.set(result!);
        resolve(result!);
      });
    });
  }

  return {
    offers: {
      Bearer: { bearer, dpopAlgs: dpop.algs, scheme: 'Bearer' },
      DPoP: { bearer, dpopAlgs: dpop.algs, scheme: 'DPoP' },
    },
    required: dpop.required,
    credentials: readDpopCredentials,
    checkBearerRequest,
    async authenticate(req, res, { token, proof }) {
      const url = dpop.requestUrl(req);
      if (url === undefined) throw new InvalidDpopProofError('DPoP proof htu mismatch');
      const { result, claims, jkt, key } = await verifyBoth(req, token, proof, url);
      const { nonces } = dpop;
      if (nonces && !nonces.accepts(claims.nonce)) throw new UseDpopNonceError(nonces.current());
      // §4.3 check 12, the last: a valid proof by another key than the token's makes the token the problem.
      if (key !== jkt) throw new InvalidTokenError('Invalid DPoP key binding');
      const until = acceptableUntil(claims.iat, dpop);
      const stored = { store: dpop.replayStore, proof, until };
      await rememberOnce(req, stored, () => remember(jkt, claims.jti, until - Date.now()));
      if (nonces && claims.nonce !== nonces.current()) res.setHeader('DPoP-Nonce', nonces.current());
      return result;
    },
  };
}
