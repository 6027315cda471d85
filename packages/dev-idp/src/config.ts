import {
  APPOINTMENT_SCOPE_DESCRIPTIONS,
  APPOINTMENT_SCOPES,
  DEFAULT_AUDIENCE,
  DEFAULT_CLI_CLIENT,
  DEFAULT_CLIENT,
  DEFAULT_CLIENT_ID,
  DEFAULT_CORS_ORIGINS,
  DEFAULT_PORT,
  DEMO_ORGANIZATIONS,
  DEMO_USERS,
} from './defaults.js';
import { withEnvironment, type Env } from './env-options.js';
import { invalidConfig } from './errors.js';
import { withoutTrailingSlashes } from './mount-path.js';
import { checkOptions } from './option-shapes.js';
import type {
  DemoUser,
  DevIdpApi,
  DevIdpClient,
  DevIdpOptions,
  DevIdpOrganization,
  TokenCustomization,
} from './types.js';

/** Options after defaults and validation; the issuer is settled once the port is known. */
export interface ResolvedConfig {
  port: number;
  issuer: string | undefined;
  clients: DevIdpClient[];
  corsOrigins: string[];
  apis: Record<string, DevIdpApi>;
  accessTokenTtl: number;
  idTokenTtl: number;
  refreshTokenTtl: number;
  users: DemoUser[];
  persistDir: string | undefined;
  quiet: boolean;
  dpopNonces: boolean;
  organizations: DevIdpOrganization[];
  customizeTokens: ((tokens: TokenCustomization) => void | Promise<void>) | undefined;
  requirePushedAuthorizationRequests: boolean;
}

const HOUR = 3600;
const FOURTEEN_DAYS = 14 * 24 * HOUR;

function assertUrl(label: string, value: string): URL {
  const url = URL.parse(value);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw invalidConfig(`${label} must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
  }
  return url;
}

function assertTtl(label: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw invalidConfig(`${label} must be a positive integer (seconds)`);
  return value;
}

/**
 * A bare origin ends in one `/`, as every Auth0 issuer does (`https://tenant.auth0.com/`): Auth0's
 * SDKs compare the ID token's `iss` with `${domain}/`, and `http://localhost:4000` names the same
 * issuer as `http://localhost:4000/` (RFC 3986 §6.2.3). An issuer with a path is kept exactly as
 * given: there the trailing slash is part of the identifier (`…/tenant` is not `…/tenant/`), which
 * clients compare with the discovered one.
 */
export function resolveIssuer(issuer: string | undefined, port: number): string {
  if (issuer === undefined) return `http://localhost:${port}/`;
  const given = issuer.trim();
  const url = assertUrl('issuer', given);
  if (/[?#]/.test(given)) throw invalidConfig('issuer must not have a query or fragment');
  return withoutTrailingSlashes(url.pathname) === '' ? `${withoutTrailingSlashes(url.href)}/` : given;
}

function withExtraUris(clients: DevIdpClient[], options: DevIdpOptions): DevIdpClient[] {
  const extra = options.redirectUris ?? [];
  const extraLogout = options.postLogoutRedirectUris ?? [];
  return clients.map((client) => {
    if (client.clientId !== DEFAULT_CLIENT_ID) return client;
    return {
      ...client,
      ...(options.dpopRequired === undefined ? {} : { dpopRequired: options.dpopRequired }),
      redirectUris: [...new Set([...client.redirectUris, ...extra])],
      postLogoutRedirectUris: [...new Set([...(client.postLogoutRedirectUris ?? []), ...extraLogout])],
      initiateLoginUri: options.initiateLoginUri ?? client.initiateLoginUri,
    };
  });
}

function resolveOrganizations(organizations: readonly DevIdpOrganization[]): DevIdpOrganization[] {
  const seen = new Set<string>();
  for (const org of organizations) {
    if (!/^org_\w+$/.test(org.id))
      throw invalidConfig(`organization id ${JSON.stringify(org.id)} must look like org_…`);
    for (const key of [org.id, org.name.toLowerCase()]) {
      if (org.name === '' || seen.has(key))
        throw invalidConfig(`organization ${JSON.stringify(key)} is not unique`);
      seen.add(key);
    }
  }
  return organizations.map((org) => ({
    ...org,
    members: [...org.members],
    invitations: [...(org.invitations ?? [])],
  }));
}

function resolveClients(options: DevIdpOptions): DevIdpClient[] {
  const clients = withExtraUris(
    options.clients ?? [{ ...DEFAULT_CLIENT }, { ...DEFAULT_CLI_CLIENT }],
    options,
  );
  for (const client of clients) {
    if (client.redirectUris.length === 0)
      throw invalidConfig(`client ${client.clientId} needs a redirect URI`);
    const loginUri = client.initiateLoginUri === undefined ? [] : [client.initiateLoginUri];
    for (const uri of [...client.redirectUris, ...(client.postLogoutRedirectUris ?? []), ...loginUri]) {
      assertUrl(`redirect URI of ${client.clientId}`, uri);
    }
  }
  return clients;
}

function resolveApis(apis: Record<string, DevIdpApi> | undefined): Record<string, DevIdpApi> {
  const resolved = apis ?? {
    [DEFAULT_AUDIENCE]: {
      scopes: [...APPOINTMENT_SCOPES],
      scopeDescriptions: { ...APPOINTMENT_SCOPE_DESCRIPTIONS },
    },
  };
  for (const [audience, api] of Object.entries(resolved)) {
    assertUrl('API audience', audience);
    if (api.scopes.length === 0) throw invalidConfig(`API ${audience} needs at least one scope`);
    if (api.accessTokenTtl !== undefined) assertTtl(`accessTokenTtl of ${audience}`, api.accessTokenTtl);
  }
  return resolved;
}

/**
 * Checks the options given, takes the environment's for the others, applies defaults and validates,
 * so a bad option fails at start-up instead of mid-flow. The environment's values are strings its
 * parsers convert (and refuse) before they join the checked options.
 */
export function resolveConfig(given: unknown = {}, env: Env = {}): ResolvedConfig {
  const options = withEnvironment(checkOptions(given), env);
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isSafeInteger(port) || port < 0 || port > 65535) throw invalidConfig('port must be 0..65535');
  return {
    port,
    issuer: options.issuer === undefined ? undefined : resolveIssuer(options.issuer, port),
    clients: resolveClients(options),
    corsOrigins: (options.corsOrigins ?? [...DEFAULT_CORS_ORIGINS]).map(
      (origin) => assertUrl('CORS origin', origin).origin,
    ),
    apis: resolveApis(options.apis),
    accessTokenTtl: assertTtl('accessTokenTtl', options.accessTokenTtl ?? HOUR),
    idTokenTtl: assertTtl('idTokenTtl', options.idTokenTtl ?? HOUR),
    refreshTokenTtl: assertTtl('refreshTokenTtl', options.refreshTokenTtl ?? FOURTEEN_DAYS),
    users: [...(options.users ?? DEMO_USERS)],
    persistDir: options.persistDir,
    quiet: options.quiet ?? false,
    dpopNonces: options.dpopNonces ?? false,
    organizations: resolveOrganizations(options.organizations ?? DEMO_ORGANIZATIONS),
    customizeTokens: options.customizeTokens,
    requirePushedAuthorizationRequests: options.requirePushedAuthorizationRequests ?? false,
  };
}
