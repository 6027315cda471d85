/** A person who can sign in to the dev IdP. `permissions` are the API scopes this user may be granted. */
export interface DemoUser {
  sub: string;
  email: string;
  password: string;
  name: string;
  permissions: string[];
  /** Free-form roles; the demo IdP's `customizeTokens` puts them in a namespaced claim. */
  roles?: string[];
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
  /**
   * DPoP required (RFC 9449 `dpop_bound_access_tokens`): the token endpoint refuses requests
   * without a proof. Without it, a client that sends a proof still gets DPoP-bound tokens.
   */
  dpopRequired?: boolean;
  /** Auth0's "Application Login URI" (OIDC `initiate_login_uri`): where invitation links send the invitee. */
  initiateLoginUri?: string;
}

/** An invitation to an organization (Auth0's invitation ticket), for the person with this email. */
export interface DevIdpInvitation {
  id: string;
  email: string;
}

/** An Auth0 Organization: `organization=<id or name>` on `/authorize` puts `org_id`/`org_name` in the tokens. */
export interface DevIdpOrganization {
  /** `org_…`, as Auth0 names them. */
  id: string;
  name: string;
  /** `sub`s of the members. */
  members: string[];
  invitations?: DevIdpInvitation[];
}

/** A claim set through `setCustomClaim`: any JSON value. */
export type CustomClaimValue =
  string | number | boolean | null | CustomClaimValue[] | { [key: string]: CustomClaimValue };

/**
 * What `customizeTokens` sees and changes, in the spirit of an Auth0 post-login Action. It runs once
 * per token response (code exchange and each refresh).
 */
export interface TokenCustomization {
  user: Readonly<DemoUser>;
  client: { readonly clientId: string };
  organization: { readonly id: string; readonly name: string } | undefined;
  accessToken: {
    /** The API; `undefined` for the token that is only good at userinfo (its scope cannot change). */
    readonly audience: string | undefined;
    /** The API scopes the token will carry. */
    readonly scope: readonly string[];
    setCustomClaim(name: string, value: CustomClaimValue): void;
    addScope(scope: string): void;
    removeScope(scope: string): void;
  };
  idToken: {
    setCustomClaim(name: string, value: CustomClaimValue): void;
  };
}

/** An API (Auth0 "audience") whose access tokens are RFC 9068 JWTs. */
export interface DevIdpApi {
  scopes: string[];
  /** What each scope lets the app do, in words the consent page shows ("see your appointments"). */
  scopeDescriptions?: Record<string, string>;
  /** Seconds; defaults to the global `accessTokenTtl`. */
  accessTokenTtl?: number;
}

export interface DevIdpOptions {
  /** Default: env `IDP_PORT`, else env `PORT`, else 4000; 0 picks a free port (tests). */
  port?: number;
  /**
   * Default: env `ISSUER` (not read when `port` is given: it names a port), else
   * `http://localhost:${port}/`. A bare origin gets one trailing `/`, like
   * Auth0's issuers (`http://localhost:4000` is served as `http://localhost:4000/`); an issuer with a
   * path is served exactly as given (`http://localhost:4000/tenant` stays without a `/`, `…/tenant/`
   * keeps its `/`), since there the slash is part of the issuer.
   */
  issuer?: string;
  /** Default: `DEFAULT_CLIENT` (the demo SPA) and `DEFAULT_CLI_CLIENT` (the `grantflow` CLI). */
  clients?: DevIdpClient[];
  /** Extra redirect URIs accepted for the default client. */
  redirectUris?: string[];
  /** Require DPoP from the default client (`dpopRequired`). Default: env `DPOP_REQUIRED=true`, else off. */
  dpopRequired?: boolean;
  /** Extra post-logout redirect URIs accepted for the default client. */
  postLogoutRedirectUris?: string[];
  /** The default client's login route, where invitation links point. */
  initiateLoginUri?: string;
  /** Refuse authorization requests that were not pushed first (RFC 9126 `require_pushed_authorization_requests`). */
  requirePushedAuthorizationRequests?: boolean;
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
  /** Default: `DEMO_ORGANIZATIONS`. */
  organizations?: DevIdpOrganization[];
  /** Adds claims to access and ID tokens and may change the access token's scope (Auth0 Actions). */
  customizeTokens?: (tokens: TokenCustomization) => void | Promise<void>;
  /** Suppress the "development only" banner. */
  quiet?: boolean;
}

export interface DevIdp {
  /** Exactly as in discovery and in tokens' `iss` (`http://localhost:4000/`, or a path issuer as given). */
  issuer: string;
  port: number;
  /** Auth0-style invitation links (`initiateLoginUri?invitation=…&organization=…&organization_name=…`), one per invitation and client that has an `initiateLoginUri`. */
  invitationLinks: string[];
  close(): Promise<void>;
}
