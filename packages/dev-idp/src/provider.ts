import { randomBytes } from 'node:crypto';
import Provider, { errors } from 'oidc-provider';
import type { AdapterConstructor, ClientMetadata, Configuration } from 'oidc-provider';
import type { ResolvedConfig } from './config.js';
import { existingGrantLoader } from './existing-grant.js';
import {
  AUTHORIZATION_PATH,
  PUSHED_AUTHORIZATION_PATH,
  consentPolicy,
  isOffline,
  keepOfflineAccess,
} from './offline-access.js';
import type { Secrets } from './keys.js';
import { requestedAudience } from './scopes.js';
import type { DevIdpClient } from './types.js';
import { logoutSource, messagePage, renderError } from './views.js';
import { DPOP_SIGNING_ALGS } from './api-token-proof.js';
import { createApiTokenUserinfo, SCOPE_CLAIMS, USERINFO_PATH, userClaims } from './api-token-userinfo.js';
import { createOrganizationRecords, type OrganizationRecords } from './organization-records.js';
import { organizationParams, recordGrantOrganizations } from './organizations.js';
import { createTokenCustomizer } from './token-customization.js';
import { auth0RefreshErrors } from './refresh-errors.js';
import { nonEmptyResponseScope, TOKEN_PATH } from './token-response-scope.js';
import { formPostsAsGets } from './form-post.js';
import { jsonBodiesAsForms } from './json-body.js';
import { audienceAsResource } from './token-audience.js';
import { auth0LogoutRoute } from './auth0-logout.js';
import { mountedAt, mountPathOf } from './mount-path.js';
import { noStoreResponses } from './no-store.js';
import { requireDpopProofs } from './dpop-required.js';
import { REVOCATION_PATH, revocationAnswers } from './revocation-answers.js';
import { refuseClientSecrets } from './client-secrets-refused.js';
import { answerWebMessages } from './web-message.js';

export type ProviderConfig = ResolvedConfig & { issuer: string };

export const END_SESSION_PATH = '/oidc/logout';

const AUTHORIZATION_CODE_TTL = 60;
const INTERACTION_TTL = 10 * 60;
const SESSION_TTL = 14 * 24 * 3600;
const GRANT_TTL = (config: ResolvedConfig) => Math.max(config.refreshTokenTtl, SESSION_TTL);
/** Every client is public (`token_endpoint_auth_method: none`), at the token and revocation endpoints alike. */
const CLIENT_AUTH_METHODS = ['none'] as const;

function clientMetadata(client: DevIdpClient): ClientMetadata {
  return {
    client_id: client.clientId,
    application_type: client.applicationType ?? 'web',
    token_endpoint_auth_method: CLIENT_AUTH_METHODS[0],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris ?? [],
    dpop_bound_access_tokens: client.dpopRequired === true,
  };
}

function ttl(config: ResolvedConfig): Configuration['ttl'] {
  return {
    AccessToken: config.accessTokenTtl,
    IdToken: config.idTokenTtl,
    AuthorizationCode: AUTHORIZATION_CODE_TTL,
    Interaction: INTERACTION_TTL,
    Session: SESSION_TTL,
    Grant: GRANT_TTL(config),
    RefreshToken(ctx) {
      // Absolute lifetime: a rotated token keeps the first one's expiry, DPoP-bound or not.
      return ctx?.oidc.entities.RotatedRefreshToken?.remainingTTL ?? config.refreshTokenTtl;
    },
  };
}

function resourceIndicators(
  config: ResolvedConfig,
): NonNullable<Configuration['features']>['resourceIndicators'] {
  return {
    enabled: true,
    defaultResource: (ctx, _client, oneOf) => oneOf ?? requestedAudience(ctx.oidc.params ?? {}),
    getResourceServerInfo(_ctx, indicator) {
      const api = config.apis[indicator];
      if (api === undefined) throw new errors.InvalidTarget(`unknown audience ${indicator}`);
      return {
        audience: indicator,
        scope: api.scopes.join(' '),
        accessTokenFormat: 'jwt',
        accessTokenTTL: api.accessTokenTtl ?? config.accessTokenTtl,
        jwt: { sign: { alg: 'RS256' } },
      };
    },
    // Refreshing without `resource` keeps the API the tokens were granted for, as with Auth0.
    useGrantedResource: () => true,
  };
}

function features(config: ResolvedConfig): Configuration['features'] {
  return {
    devInteractions: { enabled: false },
    // A client that sends a proof gets DPoP-bound tokens (`cnf.jkt`, `token_type: DPoP`), and a
    // public client's refresh token is bound to the same key.
    dPoP: {
      enabled: true,
      // Nonces live for minutes; after a restart clients are simply handed a new one.
      nonceSecret: randomBytes(32),
      requireNonce: () => config.dpopNonces,
    },
    revocation: {
      enabled: true,
      // A client revokes only its own tokens: oidc-provider's default for public clients, set here
      // because the default prints a "you SHOULD change it" notice on every revocation.
      allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId,
    },
    userinfo: { enabled: true },
    pushedAuthorizationRequests: {
      enabled: true,
      requirePushedAuthorizationRequests: config.requirePushedAuthorizationRequests,
    },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource,
      postLogoutSuccessSource(ctx) {
        ctx.type = 'html';
        ctx.body = messagePage('Signed out', 'You are signed out of the grantflow dev IdP.');
      },
    },
    resourceIndicators: resourceIndicators(config),
  };
}

/** oidc-provider answers every CORS preflight; only configured origins may call its endpoints. */
function refuseOtherOriginsPreflight(corsOrigins: ReadonlySet<string>): Parameters<Provider['use']>[0] {
  return async (ctx, next) => {
    const origin = ctx.get('Origin');
    if (ctx.method === 'OPTIONS' && origin !== '' && !corsOrigins.has(origin)) {
      ctx.vary('Origin');
      ctx.status = 204;
      return;
    }
    await next();
  };
}

interface Collaborators {
  adapter: AdapterConstructor | undefined;
  organizations: OrganizationRecords;
  tokens: ReturnType<typeof createTokenCustomizer>;
  corsOrigins: ReadonlySet<string>;
}

function configuration(config: ProviderConfig, secrets: Secrets, parts: Collaborators): Configuration {
  const users = new Map(config.users.map((user) => [user.sub, user]));
  const { adapter, tokens, corsOrigins } = parts;
  const policy = consentPolicy();
  return {
    ...(adapter === undefined ? {} : { adapter }),
    clients: config.clients.map(clientMetadata),
    jwks: secrets.jwks as NonNullable<Configuration['jwks']>,
    cookies: { keys: secrets.cookieKeys },
    clientAuthMethods: CLIENT_AUTH_METHODS,
    enabledJWA: { dPoPSigningAlgValues: DPOP_SIGNING_ALGS },
    // RFC 8414 §2: without it, clients read the revocation endpoint's default, `client_secret_basic`.
    discovery: { revocation_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS },
    findAccount(_ctx, sub) {
      const user = users.get(sub);
      if (user === undefined) return undefined;
      return { accountId: user.sub, claims: () => userClaims(user) };
    },
    claims: SCOPE_CLAIMS,
    // Like Auth0, the ID token carries the profile even in the code flow.
    conformIdTokenClaims: false,
    extraParams: { audience: null, ...organizationParams(config.organizations) },
    pkce: { required: () => true },
    // Authorization Code only: no client here may use the implicit or hybrid flows.
    responseTypes: ['code'],
    interactions: { url: (_ctx, { uid }) => `${mountPathOf(config.issuer)}/interaction/${uid}`, policy },
    // Auth0's paths, so code and tests written against an Auth0 tenant find the same endpoints.
    routes: {
      authorization: AUTHORIZATION_PATH,
      token: TOKEN_PATH,
      userinfo: USERINFO_PATH,
      pushed_authorization_request: PUSHED_AUTHORIZATION_PATH,
      jwks: '/.well-known/jwks.json',
      revocation: REVOCATION_PATH,
      end_session: END_SESSION_PATH,
    },
    clientBasedCORS: (_ctx, origin) => corsOrigins.has(origin),
    rotateRefreshToken: true,
    expiresWithSession: (ctx, source) => !isOffline(ctx, source),
    // Exactly the offline codes (not bound to the session, as decided above) get a refresh token.
    issueRefreshToken: (_ctx, client, code) =>
      client.grantTypeAllowed('refresh_token') &&
      code.kind === 'AuthorizationCode' &&
      code.expiresWithSession !== true,
    loadExistingGrant: existingGrantLoader(config, parts.organizations, policy),
    extraTokenClaims: tokens.extraTokenClaims,
    formats: { customizers: { jwt: tokens.jwt } },
    ttl: ttl(config),
    features: features(config),
    renderError,
  };
}

export function createProvider(
  config: ProviderConfig,
  secrets: Secrets,
  adapter?: AdapterConstructor,
): Provider {
  const corsOrigins = new Set(config.corsOrigins);
  const organizations = createOrganizationRecords(adapter);
  const apiTokenUserinfo = createApiTokenUserinfo({
    issuer: config.issuer,
    jwks: secrets.jwks,
    audiences: Object.keys(config.apis),
    users: config.users,
    corsOrigins: config.corsOrigins,
    adapter,
  });
  const tokens = createTokenCustomizer({
    users: config.users,
    organizations: config.organizations,
    records: organizations,
    customizeTokens: config.customizeTokens,
    onOpenidApiToken: (token) => apiTokenUserinfo.remember(token),
  });

  const provider = new Provider(
    config.issuer,
    configuration(config, secrets, { adapter, organizations, tokens, corsOrigins }),
  );
  tokens.extendIdTokens(provider);
  provider.use(mountedAt(mountPathOf(config.issuer)));
  provider.use(auth0LogoutRoute(provider, config.clients, END_SESSION_PATH));
  provider.use(formPostsAsGets([AUTHORIZATION_PATH, END_SESSION_PATH]));
  provider.use(noStoreResponses([TOKEN_PATH, USERINFO_PATH]));
  provider.use(jsonBodiesAsForms([TOKEN_PATH, REVOCATION_PATH], corsOrigins));
  provider.use(audienceAsResource(TOKEN_PATH));
  provider.use(refuseOtherOriginsPreflight(corsOrigins));
  provider.use(revocationAnswers());
  provider.use(refuseClientSecrets([TOKEN_PATH, REVOCATION_PATH, PUSHED_AUTHORIZATION_PATH], corsOrigins));
  provider.use(requireDpopProofs(config.clients, corsOrigins));
  provider.use(keepOfflineAccess());
  provider.use(nonEmptyResponseScope());
  provider.use(auth0RefreshErrors());
  provider.use(apiTokenUserinfo.middleware(provider));
  answerWebMessages(provider);
  recordGrantOrganizations(provider, config.organizations, organizations, GRANT_TTL(config));
  return provider;
}
