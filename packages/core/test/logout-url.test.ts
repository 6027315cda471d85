import { describe, expect, it } from 'vitest';
import { buildLogoutUrl, isAuth0Issuer } from '../src/logout.js';

describe('buildLogoutUrl', () => {
  it('uses the end-session endpoint with client_id and post_logout_redirect_uri, never a token', () => {
    const url = buildLogoutUrl(
      { issuer: 'https://idp.example', end_session_endpoint: 'https://idp.example/session/end' },
      { clientId: 'app', returnTo: 'https://app.example/', auth0: false },
    );
    expect(url?.href).toBe(
      'https://idp.example/session/end?post_logout_redirect_uri=https%3A%2F%2Fapp.example%2F&client_id=app',
    );
  });

  it("uses Auth0's /v2/logout with returnTo for Auth0, even where discovery has an end-session endpoint", () => {
    expect(
      buildLogoutUrl(
        { issuer: 'https://tenant.auth0.com/' },
        { clientId: 'app', returnTo: 'https://app.example/', auth0: true },
      )?.href,
    ).toBe('https://tenant.auth0.com/v2/logout?returnTo=https%3A%2F%2Fapp.example%2F&client_id=app');
    expect(
      buildLogoutUrl(
        { issuer: 'https://tenant.auth0.com/', end_session_endpoint: 'https://tenant.auth0.com/oidc/logout' },
        { clientId: 'app', auth0: true },
      )?.href,
    ).toBe('https://tenant.auth0.com/v2/logout?client_id=app');
    expect(
      buildLogoutUrl({ issuer: 'https://login.example.com' }, { clientId: 'app', auth0: true })?.href,
    ).toBe('https://login.example.com/v2/logout?client_id=app');
  });

  it('asks Auth0 to sign out of the upstream provider too with the bare `federated` flag, and nobody else', () => {
    expect(
      buildLogoutUrl(
        { issuer: 'https://tenant.auth0.com/' },
        { clientId: 'app', returnTo: 'https://app.example/', auth0: true, federated: true },
      )?.href,
    ).toBe(
      'https://tenant.auth0.com/v2/logout?returnTo=https%3A%2F%2Fapp.example%2F&client_id=app&federated',
    );
    expect(
      buildLogoutUrl(
        { issuer: 'https://idp.example', end_session_endpoint: 'https://idp.example/session/end' },
        { clientId: 'app', auth0: false, federated: true },
      )?.href,
    ).toBe('https://idp.example/session/end?client_id=app');
  });

  it("puts /v2/logout below an issuer's path, with or without its trailing slash", () => {
    for (const issuer of ['https://idp.example/tenant', 'https://idp.example/tenant/']) {
      expect(buildLogoutUrl({ issuer }, { clientId: 'app', auth0: true })?.href).toBe(
        'https://idp.example/tenant/v2/logout?client_id=app',
      );
    }
  });

  it('passes logoutHint to the end-session endpoint as logout_hint, and not to /v2/logout', () => {
    const metadata = {
      issuer: 'https://idp.example/',
      end_session_endpoint: 'https://idp.example/session/end',
    };
    expect(buildLogoutUrl(metadata, { clientId: 'app', auth0: false, logoutHint: 'sid 1' })?.href).toBe(
      'https://idp.example/session/end?logout_hint=sid+1&client_id=app',
    );
    expect(buildLogoutUrl(metadata, { clientId: 'app', auth0: true, logoutHint: 'sid 1' })?.href).toBe(
      'https://idp.example/v2/logout?client_id=app',
    );
  });

  it('sends no post_logout_redirect_uri without returnTo', () => {
    expect(
      buildLogoutUrl(
        { issuer: 'https://idp.example', end_session_endpoint: 'https://idp.example/session/end' },
        { clientId: 'app', auth0: false },
      )?.href,
    ).toBe('https://idp.example/session/end?client_id=app');
  });

  it('is undefined when the server offers no way to log out', () => {
    expect(
      buildLogoutUrl({ issuer: 'https://idp.example' }, { clientId: 'app', auth0: false }),
    ).toBeUndefined();
  });
});

describe('isAuth0Issuer', () => {
  it('recognises Auth0 tenant issuers only', () => {
    expect(isAuth0Issuer('https://tenant.auth0.com/')).toBe(true);
    expect(isAuth0Issuer('https://tenant.eu.auth0.com')).toBe(true);
    expect(isAuth0Issuer('https://auth0.com.evil.example/')).toBe(false);
    expect(isAuth0Issuer('http://tenant.auth0.com/')).toBe(false);
    expect(isAuth0Issuer('https://tenant.auth0.com/elsewhere')).toBe(false);
    expect(isAuth0Issuer('https://proxy.example/?to=https://tenant.auth0.com')).toBe(false);
    expect(isAuth0Issuer('http://proxy.example/https://tenant.auth0.com')).toBe(false);
  });
});
