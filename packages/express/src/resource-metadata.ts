import type { Request, RequestHandler, Response } from 'express';
import {
  absoluteUrl,
  failer,
  isStringArray,
  optionalBoolean,
  optionalString,
  optionsObject,
  stringArray,
  type Fail,
} from './option-checks.js';
import {
  addResourceMetadata,
  kMetadataDocument,
  originDocumentMounted,
  type MetadataDocument,
} from './metadata-documents.js';
import { additionalMembers, type Member } from './metadata-members.js';

/** RFC 9728 §2 metadata of this API, in camelCase; served with the RFC's snake_case names. */
export interface ProtectedResourceMetadataOptions {
  /** The resource identifier: this API's URL, the `aud` its tokens carry (no fragment). */
  resource: string;
  /** Issuer identifiers of the authorization servers whose tokens it accepts. */
  authorizationServers?: string[];
  scopesSupported?: string[];
  /**
   * Default `['header']`: the `Authorization` header, which `requireAuth` always accepts. It also
   * accepts an RFC 6750 §2.2 form-body `access_token` on `POST`, `PUT` and `PATCH` when the app parses
   * form bodies before it, and a query token with `allowQueryToken`; this middleware cannot see either,
   * so such an app may add `'body'` (or `'query'`). Promising less is safe (a client reading it uses the
   * header); `'body'` by default would be wrong for an app that parses no form bodies. `[]` is served
   * as is: RFC 9728 §2 has it mean "no bearer methods" (a DPoP-only API).
   */
  bearerMethodsSupported?: Array<'header' | 'body' | 'query'>;
  jwksUri?: string;
  resourceSigningAlgValuesSupported?: string[];
  resourceName?: string;
  resourceDocumentation?: string;
  resourcePolicyUri?: string;
  resourceTosUri?: string;
  tlsClientCertificateBoundAccessTokens?: boolean;
  authorizationDetailsTypesSupported?: string[];
  dpopSigningAlgValuesSupported?: string[];
  dpopBoundAccessTokensRequired?: boolean;
  /** RFC 9728 §2.2: a JWT carrying the metadata, signed by the resource's publisher. */
  signedMetadata?: string;
  /**
   * Further members RFC 9728 §2 lets a publisher add, served under the names given (no snake_casing):
   * `{ 'resource_name#en': 'Things API', 'x-vendor': { tier: 'gold' } }`. Values must be JSON data
   * (strings, finite numbers, booleans, null, arrays and plain objects of those), read once; a member
   * one of the options above serves (`resource`, `scopes_supported`, ...) is refused, naming the option.
   */
  additionalMetadata?: Record<string, unknown>;
}

type TypedOptions = Omit<ProtectedResourceMetadataOptions, 'additionalMetadata'>;

export const WELL_KNOWN_PATH = '/.well-known/oauth-protected-resource';

const fail: Fail = failer('protectedResourceMetadata()');

/** How each typed option is checked, by the JSON type RFC 9728 §2 gives its member. */
const FIELDS = {
  resource: 'resource',
  authorizationServers: 'urls',
  scopesSupported: 'strings',
  bearerMethodsSupported: 'methods',
  jwksUri: 'url',
  resourceSigningAlgValuesSupported: 'algs',
  resourceName: 'string',
  resourceDocumentation: 'url',
  resourcePolicyUri: 'url',
  resourceTosUri: 'url',
  tlsClientCertificateBoundAccessTokens: 'boolean',
  authorizationDetailsTypesSupported: 'strings',
  dpopSigningAlgValuesSupported: 'algs',
  dpopBoundAccessTokensRequired: 'boolean',
  signedMetadata: 'string',
} as const satisfies Record<keyof TypedOptions, string>;

const OPTIONS: ReadonlySet<string> = new Set([...Object.keys(FIELDS), 'additionalMetadata']);

const BEARER_METHODS: readonly string[] = ['header', 'body', 'query'];

const snakeCase = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Member names `additionalMetadata` may not use, each with its option; the camelCase one is a slip. */
const RESERVED: ReadonlyMap<string, string> = new Map(
  Object.keys(FIELDS).flatMap((name) => [
    [snakeCase(name), name],
    [name, name],
  ]),
);

/**
 * RFC 9728 §1.2: a resource identifier is an `https` URL (`http` is allowed here for local
 * development) without a fragment. Its metadata is served under that URL, so an identifier that is
 * not one (`my-api`, `urn:...`) has none.
 */
function resourceUrl(resource: unknown, caller: string): URL {
  const url =
    typeof resource === 'string' && !resource.includes('#') && URL.canParse(resource)
      ? new URL(resource)
      : undefined;
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new TypeError(
      `@grantflow/express ${caller}: 'resource' must be an http(s) URL without a fragment, got ${JSON.stringify(resource)}.`,
    );
  }
  return url;
}

/**
 * RFC 9728 §3.1: the well-known path is inserted between the host and the resource's path (a
 * terminating slash after the host is dropped); the query, if any, stays at the end.
 */
export function resourceMetadataUrl(resource: string): string {
  const url = resourceUrl(resource, 'resourceMetadataUrl()');
  const path = url.pathname === '/' ? '' : url.pathname;
  return `${url.origin}${WELL_KNOWN_PATH}${path}${url.search}`;
}

function document(options: TypedOptions, additional: readonly Member[]): string {
  const members: Member[] = [['bearer_methods_supported', ['header']]];
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined) members.push([snakeCase(name), value]);
  }
  // RFC 9728 §3.2: "Parameters with zero values MUST be omitted", but §2 gives an empty
  // `bearer_methods_supported` a meaning of its own ("no bearer methods are supported").
  const served = [...members, ...additional].filter(
    ([name, value]) => !Array.isArray(value) || value.length > 0 || name === 'bearer_methods_supported',
  );
  // fromEntries defines each member: one named `__proto__` stays data.
  return JSON.stringify(Object.fromEntries(served));
}

function checkField(name: keyof typeof FIELDS, value: unknown): void {
  const kind = FIELDS[name];
  if (kind === 'string') optionalString(value, name, fail);
  else if (kind === 'boolean') optionalBoolean(value, false, name, fail);
  else if (kind === 'url') absoluteUrl(value, name, fail);
  else if (kind === 'urls') {
    if (!isStringArray(value) || !value.every((entry) => URL.canParse(entry))) {
      fail(`'${name}' must be a list of issuer URLs.`);
    }
  } else if (kind !== 'resource') {
    const list = stringArray(value, name, fail);
    if (kind === 'methods' && !list.every((entry) => BEARER_METHODS.includes(entry))) {
      fail(`'${name}' must list some of ${BEARER_METHODS.join(', ')}.`);
    }
    // RFC 9728 §2 (resource signing) and RFC 9449 §4.3 (DPoP proofs): never `none`.
    if (kind === 'algs' && list.includes('none')) fail(`'${name}' must not list 'none'.`);
    // RFC 9449 §4.2: a proof is signed with an asymmetric key, never a MAC.
    const mac = name === 'dpopSigningAlgValuesSupported' && list.find((alg) => /^HS\d+$/.test(alg));
    if (mac) fail(`'${name}' must not list a MAC algorithm (${mac}).`);
  }
}

function validate(options: ProtectedResourceMetadataOptions | undefined): {
  typed: TypedOptions;
  additional: Member[];
} {
  const checked = optionsObject(options, undefined, OPTIONS, fail) ?? fail('pass { resource }.');
  // One read of each option: what is served is what was checked (a getter could answer twice).
  const { additionalMetadata, ...typed } = checked;
  resourceUrl(typed.resource, 'protectedResourceMetadata()');
  for (const [name, value] of Object.entries(typed)) {
    if (value !== undefined) checkField(name as keyof typeof FIELDS, value);
  }
  const additional =
    additionalMetadata === undefined ? [] : additionalMembers(additionalMetadata, RESERVED, fail);
  return { typed, additional };
}

/** RFC 9728 §3: the document is public and read by browser clients of other origins. */
function answer(req: Request, res: Response, body: string): void {
  if (req.method === 'OPTIONS') {
    // A CORS preflight: a client sending a header outside the safelist asks first.
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD');
    const asked = req.headers['access-control-request-headers'];
    if (asked) res.setHeader('Access-Control-Allow-Headers', asked);
    res.vary('Access-Control-Request-Headers');
    res.setHeader('Allow', 'GET, HEAD, OPTIONS');
    res.status(204).end();
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD, OPTIONS');
    res.status(405).json({ error: 'method_not_allowed', error_description: 'Use GET' });
    return;
  }
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Cache-Control', 'public, max-age=3600');
  res.type('application/json').send(body);
}

/**
 * Serves this API's Protected Resource Metadata (RFC 9728) at its metadata URL (§3.1): the
 * path-suffixed form for a resource with a path, which also answers the bare
 * `/.well-known/oauth-protected-resource` unless the app serves an origin-level resource's document
 * (that URL is that one's own). Mount it at the app's root, before `requireAuth`: the challenges after
 * it then name the document of the API the request is for in `resource_metadata` (§5.1).
 */
export function protectedResourceMetadata(given: ProtectedResourceMetadataOptions): RequestHandler {
  const { typed, additional } = validate(given);
  const body = document(typed, additional);
  const url = resourceMetadataUrl(typed.resource);
  const suffixed = new URL(url).pathname;
  const entry: MetadataDocument = Object.freeze({
    resource: typed.resource,
    url,
    path: new URL(typed.resource).pathname.replace(/\/$/, ''),
  });
  const handler: RequestHandler = (req, res, next) => {
    const { path } = req;
    const serves =
      path === suffixed || (path === WELL_KNOWN_PATH && entry.path !== '' && !originDocumentMounted(req.app));
    if (!serves) {
      addResourceMetadata(req, entry);
      return next();
    }
    answer(req, res, body);
  };
  return Object.assign(handler, { [kMetadataDocument]: entry });
}
