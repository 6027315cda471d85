import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import type { Interaction } from 'oidc-provider';
import { applyRequestedScopes, type RequestedScopes } from './grants.js';
import { consentList } from './consent-scopes.js';
import type { DemoUser, DevIdpApi } from './types.js';
import { consentPage, loginPage, messagePage } from './views.js';

const MAX_FORM_BYTES = 16 * 1024;
const ROUTE = /^\/interaction\/([\w-]+)(?:\/(login|consent))?$/;

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // No script, no remote assets; the pages cannot be framed (clickjacking on the consent button).
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
};

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, PAGE_HEADERS);
  res.end(html);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = req.headers['content-type'] ?? '';
  if (!type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new Error('form body too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function findUser(users: readonly DemoUser[], email: string, password: string): DemoUser | undefined {
  const wanted = email.trim().toLowerCase();
  return users.find((user) => user.email.toLowerCase() === wanted && user.password === password);
}

function consentScopes(details: Record<string, unknown>): RequestedScopes {
  const list = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  const resources = (details.missingResourceScopes ?? {}) as Record<string, unknown>;
  return {
    oidcScopes: list(details.missingOIDCScope),
    oidcClaims: list(details.missingOIDCClaims),
    resourceScopes: Object.fromEntries(Object.entries(resources).map(([k, v]) => [k, list(v)])),
  };
}

/** One request to an interaction page, with what every step needs to answer it. */
interface Step {
  readonly provider: Provider;
  readonly users: readonly DemoUser[];
  readonly apis: Readonly<Record<string, DevIdpApi>>;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly interaction: Interaction;
  /** Where the step's form posts to, without the step name. */
  readonly base: string;
  readonly clientId: string;
}

const SIGN_IN_EXPIRED = ['Sign-in expired', 'Go back to the application and sign in again.'] as const;

function signedInUser(step: Step): DemoUser | undefined {
  const accountId = step.interaction.session?.accountId;
  return step.users.find((user) => user.sub === accountId);
}

/** GET: the login page, or the consent page once the user is known. */
function showPage(step: Step): void {
  const { interaction, base, clientId, users } = step;
  if (interaction.prompt.name === 'login') {
    send(step.res, 200, loginPage({ action: `${base}/login`, clientId, users }));
    return;
  }
  const permissions = signedInUser(step)?.permissions ?? [];
  const scopes = consentList(consentScopes(interaction.prompt.details), permissions, step.apis);
  send(step.res, 200, consentPage({ action: `${base}/consent`, clientId, scopes }));
}

async function submitLogin(step: Step): Promise<void> {
  const { provider, req, res, users, base, clientId } = step;
  const form = await readForm(req);
  const email = form.get('email') ?? '';
  const user = findUser(users, email, form.get('password') ?? '');
  if (user === undefined) {
    const error = 'Wrong email or password.';
    send(res, 401, loginPage({ action: `${base}/login`, clientId, email, error, users }));
    return;
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: user.sub } },
    { mergeWithLastSubmission: false },
  );
}

async function submitConsent(step: Step): Promise<void> {
  const { provider, req, res, interaction, clientId } = step;
  const form = await readForm(req);
  if (form.get('decision') !== 'allow') {
    const denied = { error: 'access_denied', error_description: 'End-User denied the authorization request' };
    await provider.interactionFinished(req, res, denied, { mergeWithLastSubmission: false });
    return;
  }
  const accountId = interaction.session?.accountId;
  const user = signedInUser(step);
  if (accountId === undefined || user === undefined) throw new Error('consent without a signed-in user');
  const grant =
    (interaction.grantId === undefined ? undefined : await provider.Grant.find(interaction.grantId)) ??
    new provider.Grant({ accountId, clientId });
  applyRequestedScopes(grant, consentScopes(interaction.prompt.details), user.permissions);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

/** Which handler answers this method and step of the current prompt, if any. */
function handlerFor(
  step: Step,
  name: string | undefined,
): ((step: Step) => void | Promise<void>) | undefined {
  const { method } = step.req;
  const prompt = step.interaction.prompt.name;
  if (method === 'GET' && name === undefined) return showPage;
  if (method === 'POST' && name === 'login' && prompt === 'login') return submitLogin;
  if (method === 'POST' && name === 'consent' && prompt === 'consent') return submitConsent;
  return undefined;
}

function sendFailure(res: ServerResponse, error: unknown): void {
  if (res.headersSent) return;
  const expired = error instanceof Error && error.name === 'SessionNotFound';
  const page = expired
    ? messagePage(...SIGN_IN_EXPIRED)
    : messagePage('Something went wrong', error instanceof Error ? error.message : 'Unknown error');
  send(res, 400, page);
}

/**
 * Serves the login and consent pages under `/interaction/:uid`. Returns false for other paths.
 * The uid in the path must match oidc-provider's signed interaction cookie, which is this dev
 * server's CSRF protection.
 */
export function createInteractionRoutes(
  provider: Provider,
  users: readonly DemoUser[],
  apis: Readonly<Record<string, DevIdpApi>> = {},
  mountPath = '',
) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const match = ROUTE.exec(pathname);
    if (match === null) return false;
    const [, uid, name] = match;
    try {
      const interaction = await provider.interactionDetails(req, res);
      if (interaction.uid !== uid) {
        send(res, 400, messagePage(...SIGN_IN_EXPIRED));
        return true;
      }
      const base = `${mountPath}/interaction/${interaction.uid}`;
      const clientId = String(interaction.params.client_id);
      const step: Step = { provider, users, apis, req, res, interaction, base, clientId };
      const handler = handlerFor(step, name);
      if (handler === undefined) {
        send(res, 405, messagePage('Not allowed', 'This step of the sign-in does not accept that request.'));
      } else {
        await handler(step);
      }
    } catch (error) {
      sendFailure(res, error);
    }
    return true;
  };
}
