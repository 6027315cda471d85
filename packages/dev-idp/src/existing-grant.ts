import type { Configuration, interactionPolicy, KoaContextWithOIDC } from 'oidc-provider';
import type { ResolvedConfig } from './config.js';
import { applyRequestedScopes, requestedInContext } from './grants.js';
import type { OrganizationRecords } from './organization-records.js';
import { admitToOrganization, grantForOrganization } from './organizations.js';

/** Whether the policy asks for a login first (`prompt=login`, `max_age`, another `id_token_hint`…). */
async function loginPending(ctx: KoaContextWithOIDC, policy: readonly interactionPolicy.Prompt[]) {
  const login = policy.find((prompt) => prompt.name === 'login');
  for (const { check } of login?.checks ?? []) if (await check(ctx)) return true;
  return false;
}

/**
 * The grant a returning user already has with a client (for their organization, if any). A
 * first-party client skips consent: it is granted what it asks for, within the user's permissions.
 * While a login is pending the session's user is about to be replaced, so nothing is decided for
 * them: the organization admits whoever signs in, when the authorization resumes.
 */
export function existingGrantLoader(
  config: ResolvedConfig,
  organizations: OrganizationRecords,
  policy: readonly interactionPolicy.Prompt[],
): Configuration['loadExistingGrant'] {
  const users = new Map(config.users.map((user) => [user.sub, user]));
  const skipConsent = new Set(config.clients.filter((c) => c.skipConsent === true).map((c) => c.clientId));
  return async function loadExistingGrant(ctx) {
    const { oidc } = ctx;
    const clientId = oidc.client!.clientId;
    const user = oidc.session?.accountId === undefined ? undefined : users.get(oidc.session.accountId);
    if (user === undefined || (await loginPending(ctx, policy))) return undefined;
    const grantId = oidc.result?.consent?.grantId ?? oidc.session!.grantIdFor(clientId);
    const found = grantId === undefined ? undefined : await oidc.provider.Grant.find(grantId);
    const org = await admitToOrganization(ctx, user, config.organizations, organizations);
    const existing = await grantForOrganization(ctx, found, org, organizations);
    if (!skipConsent.has(clientId)) return existing;
    const grant = existing ?? new oidc.provider.Grant({ clientId, accountId: user.sub });
    applyRequestedScopes(grant, requestedInContext(ctx), user.permissions);
    await grant.save();
    return grant;
  };
}
