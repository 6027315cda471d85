import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import type Provider from 'oidc-provider';
import type { AccessToken, AdapterConstructor, KoaContextWithOIDC } from 'oidc-provider';
import { openStore } from './organization-records.js';
import type { DemoUser } from './types.js';

type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

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

/**
 * oidc-provider's userinfo endpoint refuses tokens issued for an API. Auth0 accepts an API token when
 * `openid` was granted with it, and so does this: the token is verified as any API would, then the
 * grant it came from decides which claims are released (and whether it still stands).
 */
export function createApiTokenUserinfo(options: ApiTokenUserinfoOptions) {
  const store = openStore(options.adapter, 'ApiTokenUserinfo');
  const keys = createLocalJWKSet(publicKeys(options.jwks));
  const users = new Map(options.users.map((user) => [user.sub, user]));
  const origins = new Set(options.corsOrigins);

  async function verified(value: string): Promise<{ jti: string; sub: string } | undefined> {
    try {
      const { payload } = await jwtVerify(value, keys, {
        issuer: options.issuer,
        audience: [...options.audiences],
        typ: 'at+jwt',
      });
      // A DPoP-bound token is never good as a Bearer token (RFC 9449 §7.1): oidc-provider answers it.
      if (payload.cnf !== undefined) return undefined;
      return typeof payload.jti === 'string' && typeof payload.sub === 'string'
        ? { jti: payload.jti, sub: payload.sub }
        : undefined;
    } catch {
      return undefined;
    }
  }

  async function claimsFor(provider: Provider, value: string): Promise<Record<string, unknown> | undefined> {
    const token = await verified(value);
    const record = token === undefined ? undefined : await store.find(token.jti);
    if (token === undefined || record === undefined || record.accountId !== token.sub) return undefined;
    const grant = await provider.Grant.find(String(record.grantId));
    const user = users.get(token.sub);
    if (grant === undefined || user === undefined) return undefined;
    const all: Record<string, unknown> = userClaims(user);
    const released = grant
      .getOIDCScope()
      .split(' ')
      .flatMap((scope) => SCOPE_CLAIMS[scope as keyof typeof SCOPE_CLAIMS] ?? []);
    return Object.fromEntries(released.map((name) => [name, all[name]]));
  }

  const middleware =
    (provider: Provider): Middleware =>
    async (ctx, next) => {
      const bearer = /^Bearer +([\w.~+/-]+=*)$/i.exec(ctx.get('authorization'))?.[1];
      if (ctx.path !== USERINFO_PATH || ctx.method !== 'GET' || bearer?.split('.').length !== 3) {
        return next();
      }
      const claims = await claimsFor(provider, bearer);
      // Anything else (an ID-less token, a revoked grant, no openid) gets oidc-provider's own answer.
      if (claims === undefined) return next();
      const origin = ctx.get('origin');
      if (origins.has(origin)) ctx.set('access-control-allow-origin', origin);
      ctx.vary('origin');
      ctx.set('cache-control', 'no-store');
      ctx.body = claims;
    };

  return {
    /** Answers userinfo for API tokens; goes before oidc-provider's routes. */
    middleware,
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
