import type { BrowserContext } from 'playwright-core';
import { stack } from './demo.js';

export interface TokenRequest {
  grantType: string | null;
  refreshToken: string | null;
  /** 200, or 400 for an OAuth error such as a reused refresh token's `invalid_grant`. */
  status: number;
}

/**
 * Records every token endpoint call the context's pages make: the grant, the refresh token spent, the
 * answer's status. Recorded synchronously, so it is complete once the page has seen the answer.
 */
export function recordTokenRequests(context: BrowserContext): TokenRequest[] {
  const seen: TokenRequest[] = [];
  context.on('response', (response) => {
    const request = response.request();
    if (request.method() !== 'POST' || !request.url().startsWith(stack.issuer)) return;
    const form = new URLSearchParams(request.postData() ?? '');
    if (!form.has('grant_type')) return;
    seen.push({
      grantType: form.get('grant_type'),
      refreshToken: form.get('refresh_token'),
      status: response.status(),
    });
  });
  return seen;
}

/** Whether the context asked the IdP for a silent (prompt=none) authorization. */
export function recordSilentAuthorizations(context: BrowserContext): string[] {
  const seen: string[] = [];
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.href.startsWith(stack.issuer) && url.searchParams.get('prompt') === 'none')
      seen.push(url.pathname);
  });
  return seen;
}
