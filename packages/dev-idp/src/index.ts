export {
  APPOINTMENT_SCOPE_DESCRIPTIONS,
  APPOINTMENT_SCOPES,
  DEFAULT_AUDIENCE,
  DEFAULT_CLI_CLIENT,
  DEFAULT_CLI_CLIENT_ID,
  DEFAULT_CLIENT,
  DEFAULT_CLIENT_ID,
  DEMO_ORGANIZATIONS,
  DEMO_USERS,
  ROLES_CLAIM,
  addRolesClaim,
} from './defaults.js';
export { CookieJar } from './cookie-jar.js';
export { DevIdpError, type DevIdpErrorCode } from './errors.js';
export { startDevIdp } from './start.js';
export { issueTokens, type IssuedTokens, type IssueTokensOptions } from './issue-tokens.js';
export { signIn, type SignInCredentials, type SignInOptions } from './sign-in.js';
export type {
  CustomClaimValue,
  DemoUser,
  DevIdp,
  DevIdpApi,
  DevIdpClient,
  DevIdpInvitation,
  DevIdpOptions,
  DevIdpOrganization,
  TokenCustomization,
} from './types.js';
