import { InvalidDpopProofError, InvalidTokenError, type AuthError } from '../errors.ts';

// express-oauth2-jwt-bearer's DPoP failures, in its words, as ours: a short stable description, and
// RFC 9449's code (a key that does not match the token's `cnf.jkt` is `invalid_token`, §7.1).
const PROOF_FAILURES: ReadonlyArray<readonly [RegExp, string]> = [
  [/htm/, 'DPoP proof htm mismatch'],
  [/htu|request URL|Host/, 'DPoP proof htu mismatch'],
  [/"ath"|ath claim/, 'DPoP proof ath mismatch'],
  [/"iat"/, 'DPoP proof iat outside the acceptable window'],
  [/"jti"/, 'DPoP proof jti missing or invalid'],
  [/Multiple DPoP/, 'Several DPoP proofs'],
  [/typ|Unexpected JWT/, 'DPoP proof typ must be dpop+jwt'],
  [/alg/i, 'DPoP proof signing algorithm not allowed'],
  [/public key|"jwk"/, 'DPoP proof jwk must be a public key'],
];

/** The answer for a failure of the library's DPoP verification; `undefined` for a token failure. */
export function dpopFailure(err: unknown): AuthError | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code } = err as { code?: unknown };
  if (/jkt confirmation claim|"cnf"/.test(err.message))
    return new InvalidTokenError('Token is not DPoP-bound');
  if (/confirmation mismatch/.test(err.message)) return new InvalidTokenError('Invalid DPoP key binding');
  if (code !== 'invalid_dpop_proof' && code !== 'invalid_request') return undefined;
  for (const [pattern, description] of PROOF_FAILURES) {
    if (pattern.test(err.message)) return new InvalidDpopProofError(description);
  }
  return new InvalidDpopProofError('DPoP proof signature invalid');
}
