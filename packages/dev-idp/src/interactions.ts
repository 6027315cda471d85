import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
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

/**
 * Serves the login and consent pages under `/interaction/:uid`. Returns false for other paths.
 * The uid in the path must match oidc-provider's signed interaction cookie, which is this dev
 * server's CSRF protection.
 */
export function createInteractionRoutes(
  provider: Provider,
  users: readonly DemoUser[],
  apis: Readonly<Record<string, DevIdpApi>> = {},
) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    const match = ROUTE.exec(pathname);
    if (match === null) return false;
    const [, uid, step] = match;
    try {
      const interaction = await provider.interactionDetails(req, res);
      if (interaction.uid !== uid) {
        send(res, 400, messagePage('Sign-in expired', 'Go back to the application and sign in again.'));
        return true;
      }
      const { prompt, params } = interaction;
      const clientId = String(params.client_id);
      const base = `/interaction/${interaction.uid}`;

      if (req.method === 'GET' && step === undefined) {
        if (prompt.name === 'login') {
          send(res, 200, loginPage({ action: `${base}/login`, clientId, users }));
        } else {
          const accountId = interaction.session?.accountId;
          const permissions = users.find((user) => user.sub === accountId)?.permissions ?? [];
          const scopes = consentList(consentScopes(prompt.details), permissions, apis);
          send(res, 200, consentPage({ action: `${base}/consent`, clientId, scopes }));
        }
        return true;
      }

      if (req.method === 'POST' && step === 'login' && prompt.name === 'login') {
        const form = await readForm(req);
        const email = form.get('email') ?? '';
        const user = findUser(users, email, form.get('password') ?? '');
        if (user === undefined) {
          const error = 'Wrong email or password.';
          send(res, 401, loginPage({ action: `${base}/login`, clientId, email, error, users }));
          return true;
        }
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: user.sub } },
          { mergeWithLastSubmission: false },
        );
        return true;
      }

      if (req.method === 'POST' && step === 'consent' && prompt.name === 'consent') {
        const form = await readForm(req);
        if (form.get('decision') !== 'allow') {
          await provider.interactionFinished(
            req,
            res,
            { error: 'access_denied', error_description: 'End-User denied the authorization request' },
            { mergeWithLastSubmission: false },
          );
          return true;
        }
        const accountId = interaction.session?.accountId;
        const user = users.find((candidate) => candidate.sub === accountId);
        if (accountId === undefined || user === undefined)
          throw new Error('consent without a signed-in user');
        const grant =
          (interaction.grantId === undefined ? undefined : await provider.Grant.find(interaction.grantId)) ??
          new provider.Grant({ accountId, clientId });
        applyRequestedScopes(grant, consentScopes(prompt.details), user.permissions);
        const grantId = await grant.save();
        await provider.interactionFinished(
          req,
          res,
          { consent: { grantId } },
          { mergeWithLastSubmission: true },
        );
        return true;
      }

      send(res, 405, messagePage('Not allowed', 'This step of the sign-in does not accept that request.'));
      return true;
    } catch (error) {
      if (res.headersSent) return true;
      const expired = error instanceof Error && error.name === 'SessionNotFound';
      send(
        res,
        400,
        expired
          ? messagePage('Sign-in expired', 'Go back to the application and sign in again.')
          : messagePage('Something went wrong', error instanceof Error ? error.message : 'Unknown error'),
      );
      return true;
    }
  };
}
