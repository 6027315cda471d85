import type { RequestedScopes } from './grants.js';
import { partitionByPermissions } from './scopes.js';
import type { DevIdpApi } from './types.js';

export interface ConsentItem {
  scope: string;
  description: string;
}

/** What the consent page lists: the scopes it asks for, and those the user's account cannot grant. */
export interface ConsentList {
  asked: ConsentItem[];
  unavailable: ConsentItem[];
}

const OIDC_DESCRIPTIONS: Readonly<Record<string, string>> = {
  openid: 'know who you are',
  profile: 'see your name',
  email: 'see your email address',
  offline_access: 'keep you signed in',
};

/**
 * Every scope the client requested and has not been granted yet, each with words for it: the API's
 * `scopeDescriptions`, else a sentence naming the scope and the API. API scopes the user's permissions
 * do not allow are listed apart: consenting cannot grant them.
 */
export function consentList(
  requested: RequestedScopes,
  permissions: readonly string[],
  apis: Readonly<Record<string, DevIdpApi>>,
): ConsentList {
  const asked = requested.oidcScopes.map((scope) => ({
    scope,
    description: OIDC_DESCRIPTIONS[scope] ?? `read your ${scope} information`,
  }));
  const unavailable: ConsentItem[] = [];
  for (const [audience, scopes] of Object.entries(requested.resourceScopes)) {
    const describe = (scope: string): ConsentItem => ({
      scope,
      description: apis[audience]?.scopeDescriptions?.[scope] ?? `use ${scope} at ${audience}`,
    });
    const { granted, rejected } = partitionByPermissions(scopes, permissions);
    asked.push(...granted.map(describe));
    unavailable.push(...rejected.map(describe));
  }
  return { asked, unavailable };
}
