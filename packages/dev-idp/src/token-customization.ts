import { parseScope } from '@grantflow/core/scope';
import type Provider from 'oidc-provider';
import type { AccessToken, ClientCredentials, KoaContextWithOIDC } from 'oidc-provider';
import { DevIdpError } from './errors.js';
import type { OrganizationRecords } from './organization-records.js';
import { organizationClaims } from './organizations.js';
import type { CustomClaimValue, DemoUser, DevIdpOrganization, TokenCustomization } from './types.js';

/** Claims the protocol owns: a customization may not set them. */
const RESERVED = new Set(
  'iss sub aud exp nbf iat jti azp nonce auth_time at_hash c_hash s_hash acr amr sid scope client_id permissions org_id org_name cnf gty typ'.split(
    ' ',
  ),
);

/** What one token response carries beyond oidc-provider's own claims. */
interface Customized {
  accessTokenClaims: Record<string, unknown>;
  idTokenClaims: Record<string, unknown>;
  /** `openid` was granted: the API token is also good at userinfo, as with Auth0. */
  openid: boolean;
}

export interface TokenCustomizerOptions {
  users: readonly DemoUser[];
  organizations: readonly DevIdpOrganization[];
  records: OrganizationRecords;
  customizeTokens: ((tokens: TokenCustomization) => void | Promise<void>) | undefined;
  /** An API access token was issued with `openid` granted (Auth0 then accepts it at userinfo). */
  onOpenidApiToken?: (token: AccessToken) => Promise<void>;
}

function claimSetter(target: Record<string, unknown>) {
  return (name: string, value: CustomClaimValue) => {
    if (typeof name !== 'string' || name === '' || RESERVED.has(name)) {
      throw new DevIdpError(
        'invalid_config',
        `customizeTokens may not set the claim ${JSON.stringify(name)}`,
      );
    }
    target[name] = value;
  };
}

function customization(
  user: DemoUser,
  clientId: string,
  org: DevIdpOrganization | undefined,
  audience: string | undefined,
  scope: string[],
) {
  const accessTokenClaims: Record<string, unknown> = {};
  const idTokenClaims: Record<string, unknown> = {};
  const tokens: TokenCustomization = {
    user: Object.freeze({ ...user, permissions: [...user.permissions] }),
    client: { clientId },
    organization: org === undefined ? undefined : { id: org.id, name: org.name },
    accessToken: {
      audience,
      get scope() {
        return [...scope];
      },
      setCustomClaim: claimSetter(accessTokenClaims),
      addScope(value) {
        if (audience !== undefined && !scope.includes(value)) scope.push(value);
      },
      removeScope(value) {
        if (audience !== undefined && scope.includes(value)) scope.splice(scope.indexOf(value), 1);
      },
    },
    idToken: { setCustomClaim: claimSetter(idTokenClaims) },
  };
  return { tokens, accessTokenClaims, idTokenClaims };
}

/**
 * Organization claims and `customizeTokens`, applied where oidc-provider builds tokens: the access
 * token's extra claims and JWT payload, and the ID token issued in the same response.
 */
export function createTokenCustomizer(options: TokenCustomizerOptions) {
  const users = new Map(options.users.map((user) => [user.sub, user]));
  const byResponse = new WeakMap<object, Customized>();

  async function organizationOf(grantId: string | undefined): Promise<DevIdpOrganization | undefined> {
    const orgId = grantId === undefined ? undefined : await options.records.organizationOf(grantId);
    return options.organizations.find((org) => org.id === orgId);
  }

  return {
    /** oidc-provider's `extraTokenClaims`: runs once per access token, before the ID token is made. */
    async extraTokenClaims(ctx: KoaContextWithOIDC | undefined, token: AccessToken | ClientCredentials) {
      if (!('accountId' in token) || ctx === undefined) return undefined;
      const user = users.get(token.accountId);
      if (user === undefined) return undefined;
      const org = await organizationOf(token.grantId);
      const audience = token.resourceServer?.audience;
      const scope = parseScope(token.scope);
      const made = customization(user, token.clientId!, org, audience, scope);
      await options.customizeTokens?.(made.tokens);
      if (audience !== undefined) token.scope = scope.join(' ');
      const orgClaims = org === undefined ? {} : organizationClaims(org);
      const openid = parseScope(ctx.oidc.grant?.getOIDCScope()).includes('openid');
      const customized: Customized = {
        accessTokenClaims: { ...made.accessTokenClaims, ...orgClaims },
        idTokenClaims: { ...made.idTokenClaims, ...orgClaims },
        openid,
      };
      byResponse.set(ctx, customized);
      return audience === undefined
        ? customized.accessTokenClaims
        : { ...customized.accessTokenClaims, permissions: scope };
    },

    /** oidc-provider's JWT customizer: the payload was read before `extraTokenClaims` could change the scope. */
    async jwt(
      ctx: KoaContextWithOIDC | undefined,
      token: AccessToken | ClientCredentials,
      jwt: { payload: Record<string, unknown> },
    ) {
      const customized = ctx === undefined ? undefined : byResponse.get(ctx);
      if (customized === undefined || !('accountId' in token) || token.resourceServer === undefined) return;
      jwt.payload.scope = token.scope || undefined;
      if (customized.openid) await options.onOpenidApiToken?.(token);
    },

    /** ID tokens get the same organization and their own custom claims. */
    extendIdTokens(provider: Provider): void {
      const idToken = provider.IdToken.prototype;
      const payload = idToken.payload;
      idToken.payload = async function (this: InstanceType<Provider['IdToken']>) {
        const claims = await payload.call(this);
        const extra = this.ctx === undefined ? undefined : byResponse.get(this.ctx)?.idTokenClaims;
        return extra === undefined ? claims : { ...claims, ...extra };
      };
    },
  };
}
