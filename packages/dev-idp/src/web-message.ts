import { createHash } from 'node:crypto';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC, UnknownObject } from 'oidc-provider';

const DISCOVERY_PATH = '/.well-known/openid-configuration';
const SCRIPT_UNSAFE = /[<>&\u2028\u2029]/g;

/** JSON that cannot end the script element or a line inside it. */
const inScript = (value: unknown) =>
  JSON.stringify(value).replace(
    SCRIPT_UNSAFE,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

/**
 * `response_mode=web_message` (auth0-spa-js's popup and hidden-iframe authorizations), answered as
 * Auth0 answers it: the page posts the response to its opener or parent and leaves a popup to the
 * client, which closes it when the message arrives (auth0-spa-js's `closePopup: false` keeps it).
 * oidc-provider's own page closes the popup right after posting; auth0-spa-js checks `popup.closed`
 * every second, and when that check ran before the message was delivered its login failed as
 * `cancelled`.
 */
function webMessage(ctx: KoaContextWithOIDC, redirectUri: string, response: UnknownObject): void {
  const data = inScript({ type: 'authorization_response', response });
  // `postMessage` delivers only to the redirect URI's origin.
  const script = `(window.opener || window.parent).postMessage(${data}, ${inScript(redirectUri)});`;
  const digest = createHash('sha256').update(script).digest('base64');
  if (ctx.status !== 200 && ctx.status !== 400 && ctx.status !== 500) {
    ctx.status = 'error' in response ? 400 : 200;
  }
  // The page must load in the client's hidden iframe: no frame-ancestors, no X-Frame-Options.
  ctx.remove('x-frame-options');
  ctx.set('content-security-policy', `default-src 'none'; script-src 'sha256-${digest}'`);
  ctx.type = 'html';
  ctx.body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Web Message Response</title></head>
<body><script>${script}</script></body></html>`;
}

/** Registered by hand, the mode is not in oidc-provider's discovery: added to the list there. */
export function answerWebMessages(provider: Provider): void {
  provider.registerResponseMode('web_message', webMessage);
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path !== DISCOVERY_PATH || ctx.status !== 200) return;
    (ctx.body as { response_modes_supported?: string[] }).response_modes_supported?.push('web_message');
  });
}
