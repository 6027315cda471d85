import type { Adapter, AdapterConstructor, AdapterPayload } from 'oidc-provider';

/**
 * What the dev IdP remembers about organizations beyond its configuration: which organization each
 * grant was made for (so refreshed tokens keep `org_id`) and who joined through an invitation. Kept
 * where oidc-provider keeps grants, so a restart of a persisted IdP forgets neither.
 */
export interface OrganizationRecords {
  /** The organization id a grant was made for; `null` when it was made without one; `undefined` when unused. */
  organizationOf(grantId: string): Promise<string | null | undefined>;
  recordOrganization(grantId: string, orgId: string | null, expiresIn: number): Promise<void>;
  isMember(orgId: string, sub: string): Promise<boolean>;
  addMember(orgId: string, sub: string): Promise<void>;
}

class MemoryStore implements Pick<Adapter, 'upsert' | 'find'> {
  readonly #entries = new Map<string, AdapterPayload>();
  async upsert(id: string, payload: AdapterPayload): Promise<void> {
    this.#entries.set(id, payload);
  }
  async find(id: string): Promise<AdapterPayload | undefined> {
    return this.#entries.get(id);
  }
}

/** A model store of the configured oidc-provider adapter (so it persists with grants), or in memory. */
export function openStore(
  adapter: AdapterConstructor | undefined,
  name: string,
): Pick<Adapter, 'upsert' | 'find'> {
  return adapter === undefined ? new MemoryStore() : new adapter(name);
}

export function createOrganizationRecords(adapter?: AdapterConstructor): OrganizationRecords {
  const grants = openStore(adapter, 'GrantOrganization');
  const members = openStore(adapter, 'OrganizationMember');
  return {
    async organizationOf(grantId) {
      const payload = await grants.find(grantId);
      return payload === undefined ? undefined : ((payload.orgId as string | null | undefined) ?? null);
    },
    async recordOrganization(grantId, orgId, expiresIn) {
      await grants.upsert(grantId, { grantId, orgId }, expiresIn);
    },
    async isMember(orgId, sub) {
      return (await members.find(`${orgId} ${sub}`)) !== undefined;
    },
    async addMember(orgId, sub) {
      await members.upsert(`${orgId} ${sub}`, { orgId, sub });
    },
  };
}
