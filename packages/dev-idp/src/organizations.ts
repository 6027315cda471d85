import type Provider from 'oidc-provider';
import { errors, type Grant, type KoaContextWithOIDC } from 'oidc-provider';
import type { DemoUser, DevIdpOrganization } from './types.js';
import type { ResolvedConfig } from './config.js';
import type { OrganizationRecords } from './organization-records.js';

/** An organization as tokens name it (Auth0's `org_id` / `org_name`). */
export interface OrganizationClaims {
  org_id: string;
  org_name: string;
}

/** Auth0 takes the id (`org_…`) or the name, the name case-insensitively. */
export function findOrganization(
  organizations: readonly DevIdpOrganization[],
  value: string,
): DevIdpOrganization | undefined {
  const wanted = value.toLowerCase();
  return organizations.find((org) => org.id === value || org.name.toLowerCase() === wanted);
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * oidc-provider `extraParams` validators, run on `/authorize` and on pushed requests: an unknown
 * organization or invitation is a bad request, before anyone signs in.
 */
export function organizationParams(organizations: readonly DevIdpOrganization[]) {
  return {
    organization(_ctx: KoaContextWithOIDC, value: unknown) {
      const name = text(value);
      if (name !== undefined && findOrganization(organizations, name) === undefined) {
        throw new errors.InvalidRequest(`parameter organization is invalid: ${name} is not known`);
      }
    },
    invitation(ctx: KoaContextWithOIDC, value: unknown) {
      const ticket = text(value);
      if (ticket === undefined) return;
      const org = findOrganization(organizations, text(ctx.oidc.params?.organization) ?? '');
      if (org === undefined) throw new errors.InvalidRequest('invitation requires organization');
      if (!(org.invitations ?? []).some((invitation) => invitation.id === ticket)) {
        throw new errors.InvalidRequest('invitation not found or expired');
      }
    },
  };
}

/**
 * The organization the signed-in user may enter for this request, or `undefined` without one. A
 * member enters; the invitee of a valid invitation becomes a member; anyone else is `access_denied`.
 */
export async function admitToOrganization(
  ctx: KoaContextWithOIDC,
  user: DemoUser,
  organizations: readonly DevIdpOrganization[],
  records: OrganizationRecords,
): Promise<DevIdpOrganization | undefined> {
  const requested = text(ctx.oidc.params?.organization);
  if (requested === undefined) return undefined;
  const org = findOrganization(organizations, requested);
  if (org === undefined) throw new errors.InvalidRequest('unknown organization');
  if (org.members.includes(user.sub) || (await records.isMember(org.id, user.sub))) return org;
  const ticket = text(ctx.oidc.params?.invitation);
  const invitation = (org.invitations ?? []).find((candidate) => candidate.id === ticket);
  if (invitation !== undefined && invitation.email.toLowerCase() === user.email.toLowerCase()) {
    await records.addMember(org.id, user.sub);
    return org;
  }
  throw new errors.AccessDenied(`user ${user.sub} is not a member of the ${org.name} organization`);
}

export const organizationClaims = (org: DevIdpOrganization): OrganizationClaims => ({
  org_id: org.id,
  org_name: org.name,
});

/** Auth0's invitation links: each client's login route with the ticket and the organization. */
export function invitationLinks(config: Pick<ResolvedConfig, 'clients' | 'organizations'>): string[] {
  return config.clients.flatMap(({ initiateLoginUri }) =>
    initiateLoginUri === undefined
      ? []
      : config.organizations.flatMap((org) =>
          (org.invitations ?? []).map((invitation) => {
            const url = new URL(initiateLoginUri);
            url.searchParams.set('invitation', invitation.id);
            url.searchParams.set('organization', org.id);
            url.searchParams.set('organization_name', org.name);
            return url.href;
          }),
        ),
  );
}

/**
 * A grant serves one organization (or none): its refresh tokens keep that organization's claims. A
 * login for another one gets a copy of the grant (so consent is not asked again) of its own.
 */
export async function grantForOrganization(
  ctx: KoaContextWithOIDC,
  existing: Grant | undefined,
  org: DevIdpOrganization | undefined,
  records: OrganizationRecords,
): Promise<Grant | undefined> {
  if (existing?.jti === undefined) return existing;
  const recorded = await records.organizationOf(existing.jti);
  if (recorded === undefined || recorded === (org?.id ?? null)) return existing;
  const { openid, resources, rejected } = existing;
  const copy = new ctx.oidc.provider.Grant({
    accountId: existing.accountId!,
    clientId: existing.clientId!,
    ...({ openid, resources, rejected } as object),
  });
  await copy.save();
  return copy;
}

/** Remembers which organization each accepted authorization's grant is for. */
export function recordGrantOrganizations(
  provider: Provider,
  organizations: readonly DevIdpOrganization[],
  records: OrganizationRecords,
  ttl: number,
): void {
  provider.on('authorization.accepted', (ctx: KoaContextWithOIDC) => {
    const jti = ctx.oidc.grant?.jti;
    if (jti === undefined) return;
    const org = findOrganization(organizations, text(ctx.oidc.params?.organization) ?? '');
    // The stores write synchronously, before the client can come back with the code.
    records.recordOrganization(jti, org?.id ?? null, ttl).catch(() => undefined);
  });
}
