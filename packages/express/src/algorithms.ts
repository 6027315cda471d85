import { stringArray, type Fail } from './option-checks.js';
import type { RequireAuthOptions } from './options.js';

/** Every asymmetric JWS algorithm express-oauth2-jwt-bearer verifies. Symmetric ones are never accepted. */
export const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES256K',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

/**
 * `algorithms`, or the one `tokenSigningAlg` (default env `TOKEN_SIGNING_ALG`, which
 * express-oauth2-jwt-bearer reads too), or every asymmetric algorithm; never a symmetric one.
 */
export function acceptedAlgorithms(
  { algorithms, tokenSigningAlg: given }: Pick<RequireAuthOptions, 'algorithms' | 'tokenSigningAlg'>,
  env: Record<string, string | undefined>,
  fail: Fail,
): ReadonlySet<string> {
  if (given !== undefined) {
    if (typeof given !== 'string') fail("'tokenSigningAlg' must be a string.");
    if (algorithms !== undefined) fail("pass either 'algorithms' or 'tokenSigningAlg', not both.");
  }
  // The environment is only a default: an explicit `algorithms` wins over it. Empty is unset, as to the library.
  const tokenSigningAlg =
    given ?? (algorithms === undefined ? env.TOKEN_SIGNING_ALG || undefined : undefined);
  const list =
    algorithms === undefined
      ? tokenSigningAlg === undefined
        ? [...ASYMMETRIC_ALGORITHMS]
        : [tokenSigningAlg]
      : stringArray(algorithms, 'algorithms', fail);
  const unsupported = list.filter((alg) => !(ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg));
  if (list.length === 0 || unsupported.length > 0) {
    const name =
      algorithms !== undefined
        ? "'algorithms'"
        : given !== undefined
          ? "'tokenSigningAlg'"
          : 'TOKEN_SIGNING_ALG';
    fail(`${name} must be a non-empty subset of ${ASYMMETRIC_ALGORITHMS.join(', ')}.`);
  }
  return new Set(list);
}
