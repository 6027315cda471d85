import type { Request, Response } from 'express';
import type { AuthResult } from '../auth-result.js';
import type { VerifiedTokenCache } from '../cache.js';
import { checkToken, countAuthorizationHeaders, type CredentialPolicy } from '../credentials.js';
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

export interface DpopCredentials {
  token: string;
  /** Missing: refused by `authenticate`, so the answer carries the DPoP challenge. */
  proof: string | undefined;
}

export interface DpopAuthenticator {
  /** The challenges to offer for a request made with each scheme. */
  offers: { Bearer: ChallengeOffer; DPoP: ChallengeOffer };
  required: boolean;
  /**
   * A `DPoP` scheme request's token and proof; `undefined` for any other request (then read as
   * Bearer). Throws for a malformed request, or a proof sent with the Bearer scheme.
   */
  credentials(req: Request, policy: CredentialPolicy): DpopCredentials | undefined;
  /** Verifies token and proof (RFC 9449 §4.3, §7.1), the nonce (§9) and replay (§11.1). */
  authenticate(req: Request, res: Response, credentials: DpopCredentials): Promise<AuthResult>;
}

function boundKey(result: AuthResult): string {
  const { cnf } = result.payload as { cnf?: { jkt?: unknown } };
  if (typeof cnf?.jkt !== 'string') throw new InvalidTokenError('Token is not DPoP-bound');
  return cnf.jkt;
}

/** A `DPoP` scheme request's credentials; `undefined` for other requests (read as Bearer). */
function readDpopCredentials(req: Request, policy: CredentialPolicy): DpopCredentials | undefined {
  const proof = readProofHeader(req);
  const header = req.headers.authorization;
  const space = header === undefined ? -1 : header.indexOf(' ');
  const scheme = header === undefined ? '' : (space === -1 ? header : header.slice(0, space)).toLowerCase();
  if (scheme !== 'dpop') {
    if (proof !== undefined && scheme === 'bearer') {
      throw new InvalidRequestError('A DPoP proof needs the DPoP authorization scheme');
    }
    return undefined;
  }
  if (countAuthorizationHeaders(req.rawHeaders) > 1)
    throw new InvalidRequestError('Several Authorization headers');
  const token = checkToken(space === -1 ? '' : header!.slice(space + 1).replace(/^ +/, ''), policy);
  return { token, proof };
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
    await verifyProof(proof, claims, { method: req.method, url, token, jkt }, window, dpop.algorithms, keys);
    return { result, claims };
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
    async authenticate(req, res, { token, proof }) {
      if (proof === undefined) throw new InvalidDpopProofError('Missing DPoP proof');
      const url = dpop.requestUrl(req);
      if (url === undefined) throw new InvalidDpopProofError('DPoP proof htu mismatch');
      const { result, claims } = await verifyBoth(req, token, proof, url);
      const { nonces } = dpop;
      if (nonces && !nonces.accepts(claims.nonce)) throw new UseDpopNonceError(nonces.current());
      const ttl = (claims.iat + dpop.iatOffset + dpop.iatLeeway) * 1000 - Date.now();
      await remember(boundKey(result), claims.jti, ttl);
      if (nonces && claims.nonce !== nonces.current()) res.setHeader('DPoP-Nonce', nonces.current());
      return result;
    },
  };
}
