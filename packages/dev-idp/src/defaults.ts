import type { DemoUser, DevIdpClient, DevIdpOrganization, TokenCustomization } from './types.js';

export const DEFAULT_CLIENT_ID = 'grantflow-demo';
export const DEFAULT_AUDIENCE = 'https://api.grantflow.local/appointments';
export const APPOINTMENT_SCOPES: readonly string[] = Object.freeze([
  'read:appointments',
  'write:appointments',
  'admin:appointments',
]);

/** The consent page's words for the appointments API's scopes. */
export const APPOINTMENT_SCOPE_DESCRIPTIONS: Readonly<Record<string, string>> = Object.freeze({
  'read:appointments': 'see your appointments',
  'write:appointments': 'create and change your appointments',
  'admin:appointments': "delete anyone's appointments",
});

export const DEFAULT_PORT = 4000;
export const DEFAULT_CORS_ORIGINS: readonly string[] = Object.freeze(['http://localhost:5173']);

export const DEFAULT_CLIENT: Readonly<DevIdpClient> = Object.freeze({
  clientId: DEFAULT_CLIENT_ID,
  // Both spellings of the app's origin: Auth0's quickstarts send `redirect_uri` and `returnTo` as
  // `window.location.origin`.
  redirectUris: ['http://localhost:5173/callback', 'http://localhost:5173/', 'http://localhost:5173'],
  postLogoutRedirectUris: ['http://localhost:5173/', 'http://localhost:5173'],
  initiateLoginUri: 'http://localhost:5173/login',
});

export const DEFAULT_CLI_CLIENT_ID = 'grantflow-cli';

/** The `grantflow` CLI (RFC 8252): loopback redirects on any port, IPv4 and IPv6 literals, never `localhost`. */
export const DEFAULT_CLI_CLIENT: Readonly<DevIdpClient> = Object.freeze({
  clientId: DEFAULT_CLI_CLIENT_ID,
  applicationType: 'native',
  redirectUris: ['http://127.0.0.1/callback', 'http://[::1]/callback'],
});

/** Documented in the README; the passwords are public on purpose. */
export const DEMO_USERS: readonly DemoUser[] = Object.freeze([
  {
    sub: 'alice',
    email: 'alice@example.com',
    password: 'alice-password',
    name: 'Alice Example',
    permissions: ['read:appointments', 'write:appointments'],
    roles: ['staff'],
  },
  {
    sub: 'bob',
    email: 'bob@example.com',
    password: 'bob-password',
    name: 'Bob Example',
    permissions: ['read:appointments'],
    roles: ['patient'],
  },
]);

/**
 * Acme Clinic: Alice is a member; Bob holds an invitation (the banner prints its link). Organizations
 * only matter to a request that names one with `organization`.
 */
export const DEMO_ORGANIZATIONS: readonly DevIdpOrganization[] = Object.freeze([
  {
    id: 'org_acmeclinic',
    name: 'acme-clinic',
    members: ['alice'],
    invitations: [{ id: 'demo-invitation-bob', email: 'bob@example.com' }],
  },
]);

/** The namespaced claim (Auth0 Actions style) the demo IdP puts the users' roles in. */
export const ROLES_CLAIM = 'https://grantflow.local/roles';

/** The demo IdP's `customizeTokens`: each user's roles in access and ID tokens. */
export function addRolesClaim({ user, accessToken, idToken }: TokenCustomization): void {
  const roles = [...(user.roles ?? [])];
  accessToken.setCustomClaim(ROLES_CLAIM, roles);
  idToken.setCustomClaim(ROLES_CLAIM, roles);
}
