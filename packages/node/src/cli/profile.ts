import { issuerFromDomain, mergeScopes, type StorageAdapter } from '@grantflow/core';
import { namesIssuer } from '@grantflow/core/internal';
import { UsageError, type Command, type Flags } from './arguments.js';

/** Which provider, client, API and scopes a command works with. */
export interface Profile {
  issuer: string;
  clientId: string;
  audience: string | undefined;
  /** Instead of `audience`: the API as an RFC 8707 resource. */
  resource?: string | undefined;
  /** The whole scope asked for at login, in the order sent. */
  scope: string;
  /** Every refresh names the scope (Microsoft Entra ID). */
  refreshWithScope?: boolean | undefined;
}

type Env = Record<string, string | undefined>;

/** Under this key the token file remembers the last login, so later commands need no flags. */
const PROFILE_KEY = 'grantflow.cli.profile';
// `offline_access` is core's to add too; named here, it is sent before the scopes the user names.
const BASE_SCOPE = 'openid profile email offline_access';

const withBaseScope = (extra: string) => mergeScopes(BASE_SCOPE, extra);

/** The dev IdP as `pnpm dev` runs it: its native client and the demo API with the demo's scopes. */
export const devProfile = (env: Env): Profile => ({
  issuer: `http://localhost:${env.IDP_PORT || '4000'}/`,
  clientId: 'grantflow-cli',
  audience: 'https://api.grantflow.local/appointments',
  scope: withBaseScope('read:appointments write:appointments'),
});

/** A URL as given, or Auth0's bare domain (`tenant.auth0.com` → `https://tenant.auth0.com/`). */
function issuerFrom(value: string): string {
  if (/^https?:\/\//.test(value)) {
    if (!URL.canParse(value)) throw new UsageError(`--issuer ${value} is not a URL`);
    return value;
  }
  // Any other scheme (or `HTTP:`, `http:\\`) is a typo, not an Auth0 domain to prefix with https://.
  if (/^[a-z][\w+.-]*:[/\\]/i.test(value))
    throw new UsageError(`--issuer ${value} is not an http:// or https:// URL`);
  const issuer = issuerFromDomain(value);
  // A bare domain makes a URL with a host: `not a url` does not.
  if (!URL.canParse(issuer) || /\s/.test(value))
    throw new UsageError(`--issuer ${value} is not a URL or domain`);
  return issuer;
}

export async function readProfile(storage: StorageAdapter): Promise<Profile | undefined> {
  // An unreadable token file fails here, with its own message, rather than as "not signed in" later.
  const saved = await storage.get(PROFILE_KEY);
  try {
    const profile = JSON.parse(saved ?? '') as Profile;
    return typeof profile.issuer === 'string' && typeof profile.clientId === 'string' ? profile : undefined;
  } catch {
    return undefined;
  }
}

export const saveProfile = (storage: StorageAdapter, profile: Profile) =>
  storage.set(PROFILE_KEY, JSON.stringify(profile));

type Api = Pick<Profile, 'audience' | 'resource'>;

/**
 * The API as the flags name it, else the variables, else the matching profile: as an audience or as a
 * resource, so a login with `--resource` leaves an earlier login's audience behind.
 */
function apiOf(flags: Flags, env: Env, base: Profile | undefined): Api {
  const given: [Api, string][] = [
    [{ audience: flags.audience, resource: flags.resource }, '--audience or --resource'],
    [
      { audience: env.GRANTFLOW_AUDIENCE, resource: env.GRANTFLOW_RESOURCE },
      'GRANTFLOW_AUDIENCE or GRANTFLOW_RESOURCE',
    ],
  ];
  for (const [{ audience, resource }, names] of given) {
    if (audience !== undefined && resource !== undefined) throw new UsageError(`give ${names}, not both`);
    if (audience !== undefined || resource !== undefined) return { audience, resource };
  }
  return { audience: base?.audience, resource: base?.resource };
}

/**
 * Flags win, then `GRANTFLOW_*` variables, then the last login (for the same issuer), then the dev IdP's
 * defaults (for the dev issuer). Another provider has no default client: `--client-id` is required. A
 * login without `--refresh-with-scope` turns it off, as a switch without a `--no-` form must be.
 */
export function resolveProfile(
  flags: Flags,
  env: Env,
  saved: Profile | undefined,
  command?: Command,
): Profile {
  const given = flags.issuer ?? env.GRANTFLOW_ISSUER;
  // Given empty (`--issuer "$TENANT"` with the variable unset) is a mistake, not "the last issuer".
  if (given === '') throw new UsageError(`${flags.issuer === '' ? '--issuer' : 'GRANTFLOW_ISSUER'} is empty`);
  const dev = devProfile(env);
  const issuer = given === undefined ? (saved?.issuer ?? dev.issuer) : issuerFrom(given);
  // As discovery compares them: `http://h:p` and `http://h:p/` are one issuer, `…/tenant/` another.
  const base = namesIssuer(saved?.issuer, issuer) ? saved : namesIssuer(dev.issuer, issuer) ? dev : undefined;
  const clientId = flags['client-id'] ?? env.GRANTFLOW_CLIENT_ID ?? base?.clientId;
  if (!clientId) throw new UsageError(`--client-id is required for ${issuer}`);
  const scope = flags.scope ?? env.GRANTFLOW_SCOPE;
  return {
    // As the matching profile spells it, since the stored session is kept under that spelling.
    issuer: base?.issuer ?? issuer,
    clientId,
    ...apiOf(flags, env, base),
    // A last login saved by an earlier version holds its scope sorted: sent in the documented order now.
    scope: withBaseScope(scope ?? base?.scope ?? ''),
    refreshWithScope:
      flags['refresh-with-scope'] ?? (command === 'login' ? undefined : base?.refreshWithScope),
  };
}
