import { createHash } from 'node:crypto';
import { calculateJwkThumbprint, EmbeddedJWK, jwtVerify } from 'jose';
import type { AsymmetricSigningAlgorithm } from 'oidc-provider';

/**
 * The DPoP proof algorithms (oidc-provider's defaults): discovery advertises them, oidc-provider's
 * endpoints take them, and so must the userinfo answer for API tokens, or a client that picked one
 * of them would be refused there alone.
 */
export const DPOP_SIGNING_ALGS: readonly AsymmetricSigningAlgorithm[] = Object.freeze([
  'ES256',
  'Ed25519',
  'EdDSA',
]);

/** An access token as a userinfo request presents it. */
export interface Presented {
  token: string;
  /** The DPoP proof, exactly when the token came with the DPoP scheme. */
  proof: string | undefined;
  method: string;
}

export type ProofCheck = (presented: Presented & { proof: string }, jkt: unknown) => Promise<boolean>;

/** RFC 9449 §4.3 for a userinfo request: the proof signed by the key the token is bound to, used once. */
export function createProofCheck(userinfoUrl: string): ProofCheck {
  const spentProofs = new Map<string, number>();
  return async function proves({ proof, token, method }, jkt) {
    const { payload, protectedHeader } = await jwtVerify(proof, EmbeddedJWK, {
      typ: 'dpop+jwt',
      algorithms: [...DPOP_SIGNING_ALGS],
      maxTokenAge: 300,
      clockTolerance: 30,
    });
    const htu = typeof payload.htu === 'string' ? URL.parse(payload.htu) : null;
    if (htu) htu.search = htu.hash = '';
    const now = Date.now();
    for (const [jti, until] of spentProofs) if (until < now) spentProofs.delete(jti);
    if (typeof payload.jti !== 'string' || spentProofs.has(payload.jti)) return false;
    spentProofs.set(payload.jti, now + 330_000);
    return (
      payload.htm === method &&
      htu?.href === userinfoUrl &&
      payload.ath === createHash('sha256').update(token).digest('base64url') &&
      (await calculateJwkThumbprint(protectedHeader.jwk!)) === jkt
    );
  };
}
