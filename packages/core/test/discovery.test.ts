import { describe, expect, it } from 'vitest';
import { discover, issuerFromDomain } from '../src/discovery.js';
import { InvalidResponseError } from '../src/errors.js';
import type { FetchLike } from '../src/http.js';

const metadata = (issuer: string) => ({
  issuer,
  authorization_endpoint: `${issuer}authorize`,
  token_endpoint: `${issuer}oauth/token`,
});

const serving = (body: unknown, status = 200) => {
  const urls: string[] = [];
  const fetch: FetchLike = async (url) => {
    urls.push(url);
    return new Response(JSON.stringify(body), { status });
  };
  return { urls, fetch };
};

describe('issuerFromDomain', () => {
  it('expands the Auth0 domain shorthand', () => {
    expect(issuerFromDomain('tenant.auth0.com')).toBe('https://tenant.auth0.com/');
    expect(issuerFromDomain('tenant.eu.auth0.com/')).toBe('https://tenant.eu.auth0.com/');
    expect(issuerFromDomain('https://login.example.com')).toBe('https://login.example.com/');
  });

  it('keeps an http:// issuer (a local IdP) as it is, and adds https:// only in front', () => {
    expect(issuerFromDomain('http://localhost:4000')).toBe('http://localhost:4000/');
    expect(issuerFromDomain('idp.example/tenants/https://x')).toBe('https://idp.example/tenants/https://x/');
  });
});

describe('discover, in detail', () => {
  it('asks for JSON, and names a document it cannot read', async () => {
    const accepted: (string | null)[] = [];
    const fetch: FetchLike = async (_url, init) => {
      accepted.push(new Headers(init.headers).get('accept'));
      return new Response('not found', { status: 404 });
    };
    await expect(discover('https://idp.example/', { fetch })).rejects.toThrow(
      'discovery (no openid-configuration; RFC 8414 authorization server metadata): HTTP 404',
    );
    // The OpenID document, then (not found) the RFC 8414 one.
    expect(accepted).toEqual(['application/json', 'application/json']);
  });
});

describe('discover', () => {
  it('fetches the well-known document and returns it', async () => {
    const { urls, fetch } = serving(metadata('https://tenant.auth0.com/'));
    await expect(discover('https://tenant.auth0.com/', { fetch })).resolves.toMatchObject({
      token_endpoint: 'https://tenant.auth0.com/oauth/token',
    });
    expect(urls).toEqual(['https://tenant.auth0.com/.well-known/openid-configuration']);
  });

  it('refuses a path issuer that differs by its trailing slash (OIDC Discovery §4.3), and says so', async () => {
    const { urls, fetch } = serving(metadata('https://idp.example/tenant/'));
    const attempt = discover('https://idp.example/tenant', { fetch });
    await expect(attempt).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(attempt).rejects.toThrow(
      'discovery: issuer "https://idp.example/tenant/" is not https://idp.example/tenant (the trailing slash counts)',
    );
    expect(urls).toEqual(['https://idp.example/tenant/.well-known/openid-configuration']);
  });

  it('refuses a document naming another issuer', async () => {
    const { fetch } = serving(metadata('https://evil.example/'));
    await expect(discover('https://idp.example/', { fetch })).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it('refuses a document without the endpoints, or an error answer', async () => {
    const { fetch } = serving({
      issuer: 'https://idp.example/',
      authorization_endpoint: 'https://idp.example/a',
    });
    await expect(discover('https://idp.example/', { fetch })).rejects.toThrow(/token_endpoint/);
    const missing = serving({ error: 'not_found' }, 404);
    await expect(discover('https://idp.example/', { fetch: missing.fetch })).rejects.toMatchObject({
      status: 404,
    });
  });
});
