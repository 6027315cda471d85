import { createHash, randomBytes } from 'node:crypto';
import { DEFAULT_CLIENT_ID, DEMO_USERS } from '@grantflow/dev-idp';
import type { BrowserContext, Page } from 'playwright-core';
import { expect, inject } from 'vitest';

// What the tests drive on each SDK's page (pages/harness.ts) and on the dev IdP's own pages.
const compat = inject('compat');
export const alice = DEMO_USERS.find((user) => user.sub === 'alice')!;

export interface TokenExchange {
  grantType: string | null;
  spent: string | null;
  issued: string | undefined;
  accessToken: string | undefined;
}

/** Every token endpoint answer the context's pages (and their workers) get: which refresh token went in, what came out. */
export function recordTokenExchanges(context: BrowserContext): TokenExchange[] {
  const seen: TokenExchange[] = [];
  context.on('response', async (response) => {
    const request = response.request();
    if (request.method() !== 'POST' || !request.url().startsWith(compat.issuer)) return;
    const form = new URLSearchParams(request.postData() ?? '');
    if (!form.has('grant_type')) return;
    const body = (await response.json().catch(() => ({}))) as {
      refresh_token?: string;
      access_token?: string;
    };
    seen.push({
      grantType: form.get('grant_type'),
      spent: form.get('refresh_token'),
      issued: body.refresh_token,
      accessToken: body.access_token,
    });
  });
  return seen;
}

export const text = (page: Page, id: string) => page.locator(`#${id}`).textContent();

/** Polls an output of the page until it shows `value`; an error the page shows ends the wait early. */
export async function expectOutput(page: Page, id: string, value: string): Promise<void> {
  await expect
    .poll(async () => (await text(page, 'error')) || (await text(page, id)), { timeout: 30_000 })
    .toBe(value);
}

/**
 * On the dev IdP's own pages: the login form, then the consent if asked. Done when the page has left
 * the IdP, or, for a popup, when the SDK has closed it, or when `until` resolves.
 */
export async function signInAtIdp(
  page: Page,
  { popup = false, until }: { popup?: boolean; until?: Promise<unknown> } = {},
): Promise<void> {
  await page.getByLabel('Email').fill(alice.email);
  await page.getByLabel('Password').fill(alice.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const allow = page.getByRole('button', { name: 'Allow' });
  const done =
    until ??
    (popup
      ? page.waitForEvent('close', { timeout: 30_000 })
      : page.waitForURL((url) => !url.href.startsWith(compat.issuer), { timeout: 30_000 }));
  const consent = await Promise.race([
    done.then(() => false),
    allow.waitFor({ timeout: 30_000 }).then(
      () => true,
      () => false,
    ),
  ]);
  if (consent) {
    await allow.click();
    await done;
  }
}

/** The parameters of an authorization request with PKCE, for the dev IdP's default client. */
export function authorizationFields(redirectUri: string, extra: Record<string, string> = {}) {
  const verifier = randomBytes(32).toString('base64url');
  return {
    client_id: DEFAULT_CLIENT_ID,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: 'openid',
    state: randomBytes(16).toString('base64url'),
    nonce: randomBytes(16).toString('base64url'),
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    ...extra,
  };
}

/** `/authorize` at `issuer` with `authorizationFields` as its query. */
export function authorizationUrl(
  issuer: string,
  redirectUri: string,
  extra: Record<string, string> = {},
): URL {
  const url = new URL('authorize', issuer);
  for (const [name, value] of Object.entries(authorizationFields(redirectUri, extra))) {
    url.searchParams.set(name, value);
  }
  return url;
}

/** The URL of the page's next navigation to `app`, once `action` has set it off and the page is there. */
export async function nextNavigationTo(
  page: Page,
  app: string,
  action: () => Promise<unknown>,
): Promise<URL> {
  const request = page.waitForRequest(
    (candidate) => candidate.isNavigationRequest() && candidate.url().startsWith(app),
    { timeout: 30_000 },
  );
  await action();
  const url = new URL((await request).url());
  await page.waitForURL((at) => at.href.startsWith(app), { timeout: 30_000 });
  return url;
}
