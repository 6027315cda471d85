/** A person who can sign in to the dev IdP. `permissions` are the API scopes this user may be granted. */
export interface DemoUser {
  sub: string;
  email: string;
  password: string;
  name: string;
  permissions: string[];
}

/** A public client: no secret, PKCE S256 required, like an Auth0 SPA or Native application. */
export interface DevIdpClient {
  clientId: string;
  /**
   * `'web'` (default, a browser app) or `'native'` (a desktop or command-line app): a native client's
   * `http://127.0.0.1/…` and `http://[::1]/…` redirect URIs match on any port (RFC 8252 §7.3).
   */
  applicationType?: 'web' | 'native';
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  /** Auth0's "first-party, skip consent": grant the requested scopes without the consent page. */
  skipConsent?: boolean;
}

/** An API (Auth0 "audience") whose access tokens are RFC 9068 JWTs. */
export interface DevIdpApi {
  scopes: string[];
  /** Seconds; defaults to the global `accessTokenTtl`. */
  accessTokenTtl?: number;
}

export interface DevIdpOptions {
  /** Default: env `PORT` or 4000; 0 picks a free port (tests). */
  port?: number;
  /** Default: env `ISSUER` or `http://localhost:${port}/`; always ends in `/`, like Auth0's issuers. */
  issuer?: string;
  /** Default: `DEFAULT_CLIENT` (the demo SPA) and `DEFAULT_CLI_CLIENT` (the `grantflow` CLI). */
  clients?: DevIdpClient[];
  /** Extra redirect URIs accepted for the default client. */
  redirectUris?: string[];
  /** Extra post-logout redirect URIs accepted for the default client. */
  postLogoutRedirectUris?: string[];
  /** Browser origins allowed to call the token, revocation and userinfo endpoints. Default: env `CORS_ORIGINS` or `['http://localhost:5173']`. */
  corsOrigins?: string[];
  /** Keyed by audience. Default: the appointments API. */
  apis?: Record<string, DevIdpApi>;
  /** Seconds. Default 3600. */
  accessTokenTtl?: number;
  /** Seconds. Default 3600. */
  idTokenTtl?: number;
  /** Seconds, absolute lifetime kept across rotations. Default 14 days. */
  refreshTokenTtl?: number;
  /** Default: `DEMO_USERS`. */
  users?: DemoUser[];
  /** When set, signing keys, cookie keys, sessions and grants persist in this folder. Default: in memory. */
  persistDir?: string;
  /** Suppress the "development only" banner. */
  quiet?: boolean;
}

export interface DevIdp {
  /** Exactly as in discovery and in tokens' `iss`, ending in `/` (`http://localhost:4000/`). */
  issuer: string;
  port: number;
  close(): Promise<void>;
}
