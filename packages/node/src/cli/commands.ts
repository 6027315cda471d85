import {
  InvalidResponseError,
  LoginRequiredError,
  NetworkError,
  TimeoutError,
  type User,
} from '@grantflow/core';
import { createNodeAuthClient, serverJustFailed, type NodeAuthClient } from '../client.js';
import type { TokenStorage } from '../file-storage.js';
import type { BrowserOpener } from '../system-browser.js';
import { portOf, timeoutOf, type Command, type Flags } from './arguments.js';
import { describeFailure } from './failures.js';
import { saveProfile, type Profile } from './profile.js';
import { visible } from './visible.js';

/** Everything a command touches, injected so tests can run it in-process too. */
export interface CliContext {
  env: Record<string, string | undefined>;
  storage: TokenStorage;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Default: the system browser. */
  openBrowser?: BrowserOpener | undefined;
}

interface Run {
  flags: Flags;
  profile: Profile;
  client: NodeAuthClient;
  context: CliContext;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

async function login({ flags, profile, client, context }: Run) {
  const result = await client.login({
    openBrowser: flags['no-browser'] ? false : context.openBrowser,
    print: (message) => context.stderr(`${message}\n`),
    appName: 'the terminal',
    callbackTimeout: timeoutOf(flags),
    port: portOf(flags),
    // Only when given: the client chooses the default prompt for the provider.
    authorizationParams: { prompt: flags.prompt ?? context.env.GRANTFLOW_PROMPT },
  });
  await saveProfile(context.storage, profile);
  const who = result.user?.email ?? result.user?.sub ?? 'unknown user';
  context.stderr(`Signed in to ${profile.issuer} as ${visible(who)}.\n`);
  if (flags.json) {
    context.stdout(
      json({
        issuer: profile.issuer,
        client_id: profile.clientId,
        audience: profile.audience,
        resource: profile.resource,
        scope: result.scope,
        expires_at: result.expiresAt === undefined ? undefined : new Date(result.expiresAt).toISOString(),
        user: result.user,
      }),
    );
  }
}

async function token({ flags, client, context }: Run) {
  // Only the token on stdout, so `$(grantflow token)` is exactly the token.
  context.stdout(`${await client.getAccessToken({ scope: flags.scope })}\n`);
}

/**
 * The ID token's user, completed from the userinfo endpoint when it lacks the email or name: a standard
 * provider puts only `sub` in an ID token issued with an access token (OIDC Core §5.4). Should userinfo
 * fail, or the server not be reachable, the ID token's claims are still an answer.
 */
async function profileOf(client: NodeAuthClient, user: User): Promise<User> {
  if (user.email !== undefined && user.name !== undefined) return user;
  // `getUser` has just failed to renew (the server unreachable or not answering): the userinfo request
  // would wait for the same server again.
  if (serverJustFailed(client)) return user;
  const info = await client.getUserInfo().catch(() => undefined);
  return { ...info, ...user };
}

async function whoami({ flags, profile, client, context }: Run) {
  const signedIn = await client.getUser();
  if (!signedIn) throw new LoginRequiredError('not signed in');
  const user = await profileOf(client, signedIn);
  if (flags.json) {
    context.stdout(
      json({
        issuer: profile.issuer,
        client_id: profile.clientId,
        audience: profile.audience,
        resource: profile.resource,
        user,
      }),
    );
    return;
  }
  // The server's claims, as text on the terminal: their control characters made visible.
  const name = user.name && user.name !== user.email ? ` (${user.name})` : '';
  context.stdout(`${visible(`${user.email ?? user.sub}${name}`)}\n`);
  context.stderr(
    `  subject: ${visible(user.sub)}\n  issuer:  ${profile.issuer}\n  client:  ${profile.clientId}\n`,
  );
}

/** Failures of the server's part of a logout, which core meets only after the session is cleared here. */
const serverUnavailable = (error: unknown) =>
  error instanceof NetworkError || error instanceof TimeoutError || error instanceof InvalidResponseError;

// The profile (issuer, client, API, scope) stays: the next `login` or `token` needs no flags again.
async function logout({ profile, client, context }: Run) {
  let notRevoked: string | undefined;
  try {
    await client.logout();
  } catch (error) {
    if (!serverUnavailable(error)) throw error;
    notRevoked = describeFailure(error, profile).message;
  }
  if (notRevoked === undefined) {
    context.stderr(`Signed out of ${profile.issuer}.\n`);
    return;
  }
  // Signed out here all the same, which is what was asked: a warning, not a failure.
  context.stderr(`grantflow: warning: ${notRevoked}; the refresh token was not revoked there.\n`);
  context.stderr(`Signed out of ${profile.issuer} on this machine.\n`);
}

const COMMANDS = { login, token, whoami, logout } satisfies Record<Command, (run: Run) => Promise<void>>;

/** Builds the client over the token file for `profile`, and runs the command. */
export async function runCommand(command: Command, flags: Flags, profile: Profile, context: CliContext) {
  const client = createNodeAuthClient({
    issuer: profile.issuer,
    clientId: profile.clientId,
    audience: profile.audience,
    resource: profile.resource,
    scope: profile.scope,
    refreshWithScope: profile.refreshWithScope,
    storage: context.storage,
  });
  await COMMANDS[command]({ flags, profile, client, context });
}
