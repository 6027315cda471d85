import { escapeHtml, page } from './html.js';
import type { ErrorOut, KoaContextWithOIDC } from 'oidc-provider';
import type { ConsentItem, ConsentList } from './consent-scopes.js';
import type { DemoUser } from './types.js';

export interface LoginView {
  action: string;
  clientId: string;
  email?: string;
  error?: string;
  users: readonly DemoUser[];
}

export function loginPage({ action, clientId, email = '', error, users }: LoginView): string {
  const demoUsers = users
    .map(
      (user) => `<li><code>${escapeHtml(user.email)}</code> / <code>${escapeHtml(user.password)}</code></li>`,
    )
    .join('');
  return page(
    'Sign in',
    `<h1>Sign in</h1>
<p>to continue to <strong>${escapeHtml(clientId)}</strong></p>
${error === undefined ? '' : `<p class="error" role="alert" id="login-error">${escapeHtml(error)}</p>`}
<form method="post" action="${escapeHtml(action)}" novalidate>
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required autofocus value="${escapeHtml(email)}"${error === undefined ? '' : ' aria-describedby="login-error"'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<details><summary>Demo users</summary><ul>${demoUsers}</ul></details>`,
  );
}

export interface ConsentView {
  action: string;
  clientId: string;
  scopes: ConsentList;
}

function consentItems(items: readonly ConsentItem[]): string {
  return items
    .map(({ scope, description }) => `<li><code>${escapeHtml(scope)}</code>: ${escapeHtml(description)}</li>`)
    .join('');
}

export function consentPage({ action, clientId, scopes }: ConsentView): string {
  const unavailable =
    scopes.unavailable.length === 0
      ? ''
      : `<p>Also requested, but your account does not have these permissions, so they will not be granted:</p>
<ul class="unavailable">${consentItems(scopes.unavailable)}</ul>`;
  return page(
    'Authorize',
    `<h1>Authorize ${escapeHtml(clientId)}</h1>
<p><strong>${escapeHtml(clientId)}</strong> would like to:</p>
<ul>${consentItems(scopes.asked)}</ul>
${unavailable}
<form method="post" action="${escapeHtml(action)}">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

/** oidc-provider's logout page: signs out at once (as Auth0 does), with buttons for no-script use. */
export function logoutSource(ctx: KoaContextWithOIDC, form: string): void {
  // Auth0 signs out without asking; the script does the same, the buttons remain for no-script use.
  ctx.type = 'html';
  ctx.body = page(
    'Sign out',
    `<h1>Sign out</h1>
<p>Sign out of the grantflow dev IdP?</p>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" id="sign-out">Sign out</button>
<button type="submit" form="op.logoutForm" class="secondary">Sign out of this app only</button>
<script>document.getElementById('op.logoutForm').requestSubmit(document.getElementById('sign-out'));</script>`,
  );
}

/** oidc-provider's error page, without its stack or internals. */
export function renderError(ctx: KoaContextWithOIDC, out: ErrorOut): void {
  ctx.type = 'html';
  const description = out.error_description === undefined ? '' : `: ${out.error_description}`;
  ctx.body = messagePage('Something went wrong', `${out.error}${description}`);
}
