import type { KoaContextWithOIDC } from 'oidc-provider';
import { DPOP_SIGNING_ALGS } from './api-token-proof.js';

/** The scheme the token was presented in, which the challenge names (RFC 9449 §7.1). */
export type Scheme = 'Bearer' | 'DPoP';

interface Refusal {
  status: number;
  error: string;
  error_description: string;
  scope?: string;
}

/** A quoted-string (RFC 9110 §5.6.4), escaped as oidc-provider escapes it. */
const quoted = (value: string): string => `"${value.replace(/[\\"]/g, (char) => `\\${char}`)}"`;

/** Answers as oidc-provider's userinfo refuses an opaque token: status, JSON body and challenge (RFC 6750 §3). */
function refuse(ctx: KoaContextWithOIDC, realm: string, scheme: Scheme, refusal: Refusal): void {
  const { status, ...body } = refusal;
  const fields = { realm, ...body, ...(scheme === 'DPoP' ? { algs: DPOP_SIGNING_ALGS.join(' ') } : {}) };
  const params = Object.entries(fields).map(([name, value]) => `${name}=${quoted(value)}`);
  ctx.set('www-authenticate', `${scheme} ${params.join(', ')}`);
  ctx.status = status;
  ctx.body = body;
}

/** OIDC Core §5.3.3 and RFC 6750 §3.1: a valid token granted without `openid`. */
export function refuseWithoutOpenid(ctx: KoaContextWithOIDC, issuer: string, scheme: Scheme): void {
  refuse(ctx, issuer, scheme, {
    status: 403,
    error: 'insufficient_scope',
    error_description: 'access token missing openid scope',
    scope: 'openid',
  });
}

/**
 * A browser origin not in `corsOrigins`: oidc-provider's `clientBasedCORS` refusal, once the token's
 * client is known. The allowance its CORS middleware set up front goes, so the page cannot read the claims.
 */
export function refuseForeignOrigin(
  ctx: KoaContextWithOIDC,
  issuer: string,
  scheme: Scheme,
  clientId: string,
): void {
  ctx.remove('access-control-allow-origin');
  refuse(ctx, issuer, scheme, {
    status: 400,
    error: 'invalid_request',
    error_description: `origin ${ctx.get('origin')} not allowed for client: ${clientId}`,
  });
}
