import type { AuthClient } from './auth-client.js';
import type { LoginOptions } from './redirect-flow.js';

/** What Auth0 puts on the app's login URL when it sends an invited user there. */
export interface Invitation {
  invitation: string;
  organization: string;
  organization_name: string | undefined;
}

/** The query parameters an invitation link carries; strip them from the address bar once used. */
export const INVITATION_PARAMS = ['invitation', 'organization', 'organization_name'];

/**
 * Reads an Auth0 invitation link (`?invitation=…&organization=…&organization_name=…`). Returns
 * `undefined` when the URL is not one: both `invitation` and `organization` must be there, once each.
 * Pass `invitation` and `organization` on to the login to accept it.
 */
export function parseInvitation(url: string | URL): Invitation | undefined {
  let query: URLSearchParams;
  try {
    query = new URL(url).searchParams;
  } catch {
    return undefined;
  }
  const one = (name: string): string | undefined => {
    const values = query.getAll(name);
    return values.length === 1 && values[0] !== '' ? values[0] : undefined;
  };
  const invitation = one('invitation');
  const organization = one('organization');
  if (invitation === undefined || organization === undefined) return undefined;
  return { invitation, organization, organization_name: one('organization_name') };
}

/**
 * Accepts an invitation link: when `url` carries one, starts the login with its `invitation` and
 * `organization` and resolves `true`; resolves `false` (and does nothing) otherwise.
 */
export async function loginWithInvitation(
  client: Pick<AuthClient, 'loginWithRedirect'>,
  url: string | URL,
  options: LoginOptions = {},
): Promise<boolean> {
  const invited = parseInvitation(url);
  if (!invited) return false;
  const { invitation, organization } = invited;
  await client.loginWithRedirect({
    ...options,
    authorizationParams: { ...options.authorizationParams, invitation, organization },
  });
  return true;
}
