export {
  APPOINTMENT_SCOPES,
  DEFAULT_AUDIENCE,
  DEFAULT_CLI_CLIENT,
  DEFAULT_CLI_CLIENT_ID,
  DEFAULT_CLIENT,
  DEFAULT_CLIENT_ID,
  DEMO_USERS,
} from './defaults.js';
export { DevIdpError, type DevIdpErrorCode } from './errors.js';
export { startDevIdp } from './server.js';
export { issueTokens, type IssuedTokens, type IssueTokensOptions } from './issue-tokens.js';
export { signIn, type SignInCredentials, type SignInOptions } from './sign-in.js';
export type { DemoUser, DevIdp, DevIdpApi, DevIdpClient, DevIdpOptions } from './types.js';
