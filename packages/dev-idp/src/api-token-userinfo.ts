import { parseScope } from '@grantflow/core/scope';
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import type Provider from 'oidc-provider';
import type { AccessToken, AdapterConstructor, KoaContextWithOIDC } from 'oidc-provider';
import { createProofCheck, type Presented, type ProofCheck } from './api-token-proof.js';
import { allowConfiguredOrigin } from './cors.js';
import { readFormBody } from './form-body.js';
import { beneathIssuer } from './mount-path.js';
import type { Middleware } from './middleware.js';
import { openStore } from './organization-records.js';
import type { DemoUser } from './types.js';
import { refuseForeignOrigin, refuseWithoutOpenid } from './userinfo-refusals.js';

export const USERINFO_PATH = '/userinfo';

/** The claims each OpenID scope releases (ID token and userinfo alike). */
export const SCOPE_CLAIMS = { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] };

export const userClaims = (user: DemoUser) => ({
  sub: user.sub,
  email: user.email,
  email_verified: true,
  name: user.name,
});

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;

function publicKeys(jwks: { keys: JWK[] }): { keys: JWK[] } {
  return {
    keys: jwks.keys.map((key) => {
      const copy: JWK = { ...key };
      for (const member of PRIVATE_MEMBERS) delete copy[member];
      return copy;
    }),
  };
}

export interface ApiTokenUserinfoOptions {
  issuer: string;
  jwks: { keys: JWK[] };
  audiences: readonly string[];
  users: readonly DemoUser[];
  corsOrigins: readonly string[];
  adapter: AdapterConstructor | undefined;
}

interface ApiTokenCheck {
  keys: ReturnType<typeof createLocalJWKSet>;
  issuer: string;
  audiences: readonly string[];
  proves: ProofCheck;
}

/** The API token's id and subject when it is valid, and sent with its proof exactly when it is DPoP-bound. */
async function verifyApiToken(
  check: ApiTokenCheck,
  presented: Presented,
): Promise<{ jti: string; sub: string } | undefined> {
  const { proof } = presented;
  try {
    const { payload } = await jwtVerify(presented.token, check.keys, {
      issuer: check.issuer,
      audience: [...check.audiences],
      typ: 'at+jwt',
    });
    // A DPoP-bound token goes only with its proof, and never as a Bearer token (RFC 9449 §7.1).
    const jkt = (payload.cnf as { jkt?: unknown } | undefined)?.jkt;
    if ((proof === undefined) !== (payload.cnf === undefined)) return undefined;
    if (proof !== undefined && !(await check.proves({ ...presented, proof }, jkt))) return undefined;
    return typeof payload.jti === 'string' && typeof payload.sub === 'string'
      ? { jti: payload.jti, sub: payload.sub }
      : undefined;
  } catch {
    return undefined;
  }
}

/** The user's claims that the granted OpenID scopes release. */
function releasedClaims(user: DemoUser, oidcScope: string): Record<string, unknown> {
  const all: Record<string, unknown> = userClaims(user);
  const released = parseScope(oidcScope).flatMap(
    (scope) => SCOPE_CLAIMS[scope as keyof typeof SCOPE_CLAIMS] ?? [],
  );
  return Object.fromEntries(released.map((name) => [name, all[name]]));
}

/** For a valid API token: the claims released, or that `openid` was not granted with it. */
type UserinfoAnswer = { claims: Record<string, unknown>; clientId: string } | { missingOpenid: true };

type AnswerLookup = (provider: Provider, presented: Presented) => Promise<UserinfoAnswer | undefined>;

const CREDENTIALS = /^(Bearer|DPoP) +([\w.~+/-]+=*)$/i;
const isJwt = (value: string | undefined): value is string => value?.split('.').length === 3;

/**
 * The JWT a userinfo request presents: in the Authorization header, or (POST, RFC 6750 §2.2) as
 * `access_token` in a form body, in exactly one place. Anything else, a token in the query included
 * (RFC 6750 §2: one method per request), is left to oidc-provider, which refuses what it must.
 */
function presentedToken(ctx: KoaContextWithOIDC, form: URLSearchParams): Presented | undefined {
  const { method } = ctx;
  const header = ctx.get('authorization');
  const inBody = form.getAll('access_token');
  if (ctx.query.access_token !== undefined) return undefined;
  if (inBody.length > 1 || (inBody.length === 1 && header !== '')) return undefined;
  if (inBody.length === 1)
    return isJwt(inBody[0]) ? { token: inBody[0], proof: undefined, method } : undefined;
  const [, scheme = '', token] = CREDENTIALS.exec(header) ?? [];
  if (!isJwt(token)) return undefined;
  if (scheme.toLowerCase() !== 'dpop') return { token, proof: undefined, method };
  const proof = ctx.get('dpop');
  return proof === '' ? undefined : { token, proof, method };
}

async function userinfoForm(ctx: KoaContextWithOIDC): Promise<URLSearchParams | undefined> {
  if (ctx.method === 'POST' && ctx.is('application/x-www-form-urlencoded')) return readFormBody(ctx);
  return new URLSearchParams();
}

interface AnswerSettings {
  origins: ReadonlySet<string>;
  /** The realm of a refusal, as oidc-provider names it. */
  issuer: string;
}

/** oidc-provider's refusal of a token it did not store, such as any API token. */
function refusedAsUnknown(ctx: KoaContextWithOIDC): boolean {
  return ctx.status === 401 && (ctx.body as { error?: unknown } | undefined)?.error === 'invalid_token';
}

function userinfoMiddleware(answerFor: AnswerLookup, { origins, issuer }: AnswerSettings) {
  return (provider: Provider): Middleware =>
    async (ctx, next) => {
      if (ctx.path !== USERINFO_PATH || (ctx.method !== 'GET' && ctx.method !== 'POST')) return next();
      const form = await userinfoForm(ctx);
      // No form: the body was too large, and has been answered.
      if (form === undefined) return;
      const presented = presentedToken(ctx, form);
      // oidc-provider answers first: it checks a DPoP proof before it looks the token up, so its
      // checks, the server nonce included (RFC 9449 §9), hold for API tokens as for its own.
      await next();
      if (presented === undefined || !refusedAsUnknown(ctx)) return;
      const answer = await answerFor(provider, presented);
      // Anything else (an invalid token, a revoked grant) keeps oidc-provider's answer.
      if (answer === undefined) return;
      ctx.remove('www-authenticate');
      allowConfiguredOrigin(ctx, origins);
      ctx.set('cache-control', 'no-store');
      const scheme = presented.proof === undefined ? 'Bearer' : 'DPoP';
      if ('missingOpenid' in answer) return refuseWithoutOpenid(ctx, issuer, scheme);
      // As oidc-provider does for its own tokens: the origin is judged once the client is known.
      const origin = ctx.get('origin');
      if (origin !== '' && !origins.has(origin)) {
        return refuseForeignOrigin(ctx, issuer, scheme, answer.clientId);
      }
      ctx.status = 200;
      ctx.body = answer.claims;
    };
}

/**
 * oidc-provider's userinfo endpoint refuses tokens issued for an API. Auth0 accepts an API token when
 * `openid` was granted with it, and so does this: the token is verified as any API would, then the
 * grant it came from decides which claims are released (and whether it still stands).
 */
export function createApiTokenUserinfo(options: ApiTokenUserinfoOptions) {
  const store = openStore(options.adapter, 'ApiTokenUserinfo');
  const users = new Map(options.users.map((user) => [user.sub, user]));
  const check: ApiTokenCheck = {
    keys: createLocalJWKSet(publicKeys(options.jwks)),
    issuer: options.issuer,
    audiences: options.audiences,
    // Beneath the issuer, whose path (if any) comes before the endpoint's.
    proves: createProofCheck(beneathIssuer(options.issuer, USERINFO_PATH)),
  };

  const answerFor: AnswerLookup = async (provider, presented) => {
    const token = await verifyApiToken(check, presented);
    if (token === undefined) return undefined;
    // Only the tokens issued with openid are remembered: a valid token that is not lacks the scope.
    const record = await store.find(token.jti);
    if (record === undefined) return { missingOpenid: true };
    if (record.accountId !== token.sub) return undefined;
    const grant = await provider.Grant.find(String(record.grantId));
    const user = users.get(token.sub);
    if (grant === undefined || user === undefined) return undefined;
    return { claims: releasedClaims(user, grant.getOIDCScope()), clientId: String(record.clientId) };
  };

  return {
    /** Answers userinfo for API tokens; goes before oidc-provider's routes. */
    middleware: userinfoMiddleware(answerFor, {
      origins: new Set(options.corsOrigins),
      issuer: options.issuer,
    }),
    /** Called as an API token with `openid` is issued. */
    async remember(token: AccessToken): Promise<void> {
      await store.upsert(
        token.jti,
        { grantId: token.grantId, accountId: token.accountId, clientId: token.clientId },
        token.expiration,
      );
    },
  };
}
