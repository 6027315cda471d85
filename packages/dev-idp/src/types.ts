/** A person who can sign in to the dev IdP. `permissions` are the API scopes this user may be granted. */
export interface DemoUser {
  sub: string;
  email: string;
  password: string;
  name: string;
  permissions: string[];
}

/** A public (browser) client: no secret, PKCE S256 required, like an Auth0 SPA application. */
export interface DevIdpClient {
  clientId: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  /** Auth0's "first-party, skip consent": grant the requested scopes without the consent page. */
  skipConsent?: boolean;
  /**
   * DPoP required (RFC 9449 `dpop_bound_access_tokens`): the token endpoint refuses requests
   * without a proof. Without it, a client that sends a proof still gets DPoP-bound tokens.
   */
  dpopRequired?: boolean;
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
  /** Default: env `ISSUER` or `http://localhost:${port}` (no trailing slash). */
  issuer?: string;
  /** Default: one client, `DEFAULT_CLIENT`. */
  clients?: DevIdpClient[];
  /** Extra redirect URIs accepted for the default client. */
  redirectUris?: string[];
  /** Require DPoP from the default client (`dpopRequired`). Default: env `DPOP_REQUIRED=true`, else off. */
  dpopRequired?: boolean;
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
  /**
   * Server nonces (RFC 9449 §8): the token endpoint answers a proof without a current nonce with
   * `use_dpop_nonce` and a `DPoP-Nonce` header. Default: env `DPOP_NONCES=true`, else off.
   */
  dpopNonces?: boolean;
  /** Suppress the "development only" banner. */
  quiet?: boolean;
}

export interface DevIdp {
  issuer: string;
  port: number;
  close(): Promise<void>;
}
