import { platformFetch } from './environment.js';
import { isObject } from './http.js';
import { internalsOf } from './internals.js';
import { TOKEN_OPTIONS, type AccessTokenOptions, type GetAccessToken } from './access-token.js';
import { parseWwwAuthenticate } from './www-authenticate.js';

export interface AuthFetchOptions extends Pick<
  AccessTokenOptions,
  'audience' | 'scope' | 'cacheMode' | 'timeoutInSeconds' | 'authorizationParams'
> {
  /** The fetch to wrap. Default: the global `fetch`, looked up at call time. */
  fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
}

export type AuthFetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** RFC 6750 §3.1 (and RFC 9449 §7.1): the challenge for the scheme we used says the token itself is bad. */
function rejectsToken(response: Response, scheme: string): boolean {
  return parseWwwAuthenticate(response.headers.get('www-authenticate')).some(
    (challenge) =>
      challenge.scheme.toLowerCase() === scheme.toLowerCase() && challenge.params.error === 'invalid_token',
  );
}

interface Token {
  value: string;
  scheme: string;
}

/** The options taken, each with what it must be: `fetch` and getAccessToken's own, but `detailedResponse`. */
const OPTIONS: Record<string, [string, (value: unknown) => boolean]> = {
  fetch: ['a function', (value) => typeof value === 'function'],
  ...TOKEN_OPTIONS,
};

/** A bad argument is the caller's bug: refused at creation, not at every call after a token fetch. */
function checkArguments(client: unknown, options: unknown): void {
  const refuse = (what: string) => {
    throw new TypeError(`createAuthFetch: ${what}`);
  };
  if (typeof (client as { getAccessToken?: unknown } | null)?.getAccessToken !== 'function') {
    refuse('client must have getAccessToken()');
  }
  if (!isObject(options)) refuse('options must be an object');
  for (const [name, value] of Object.entries(options as object)) {
    // `detailedResponse` too: the fetch reads the token itself (it sent `Bearer [object Object]`).
    if (!Object.hasOwn(OPTIONS, name))
      refuse(`unknown option ${name} (it takes ${Object.keys(OPTIONS).join(', ')})`);
    const [kind, accepts] = OPTIONS[name]!;
    if (value !== undefined && !accepts(value)) refuse(`${name} must be ${kind}`);
  }
}

const isRequest = (input: RequestInfo | URL): input is Request =>
  typeof Request !== 'undefined' && input instanceof Request;
/** The absolute URL a proof names: fetch resolves a relative one against the page's address. */
function urlOf(input: RequestInfo | URL, base: string | undefined): string {
  const url = isRequest(input) ? input.url : String(input);
  try {
    return new URL(url, base).href;
  } catch {
    return url;
  }
}

/**
 * The bodies fetch can send twice: none, a string, bytes, a Blob, form data, URL parameters. Anything else
 * (a ReadableStream, an async iterable, a Node stream) is consumed by the first attempt.
 */
const replayable = (init: RequestInit | undefined) => {
  const body = init?.body as unknown;
  return (
    body == null ||
    typeof body === 'string' ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    body instanceof URLSearchParams ||
    (typeof Blob !== 'undefined' && body instanceof Blob) ||
    (typeof FormData !== 'undefined' && body instanceof FormData)
  );
};

/**
 * A fetch that sends the client's access token (`Authorization: Bearer`, or the proof's scheme with its
 * headers when the client has a `proof` module). When the API answers 401 with `error="invalid_token"`
 * for that scheme, it gets a fresh token from the server (bypassing the cache) and retries once; a proof
 * the API asks to redo (a `DPoP-Nonce`) is redone once, with the first token and with the fresh one.
 * Bodies that cannot be sent twice (streams, async iterables) are not retried.
 */
export function createAuthFetch(
  client: { getAccessToken(options?: AccessTokenOptions): Promise<string> },
  options: AuthFetchOptions = {},
): AuthFetch {
  checkArguments(client, options);
  const { fetch: fetchImpl, ...tokenOptions } = options;
  const config = internalsOf(client)?.config;
  const proof = config?.proof;
  const base = config?.environment.location?.href;
  // The scheme follows the token the server issued: a proof module's client may still hold a Bearer token
  // (a server that does not bind tokens answers `token_type: Bearer`), and that one is sent without a proof.
  const tokenFor = async (options: AccessTokenOptions): Promise<Token> => {
    if (!proof) return { value: await client.getAccessToken(options), scheme: 'Bearer' };
    const detailed = await (client.getAccessToken as GetAccessToken)({ ...options, detailedResponse: true });
    const bound = detailed.token_type.toLowerCase() === proof.tokenType.toLowerCase();
    return { value: detailed.access_token, scheme: bound ? proof.tokenType : 'Bearer' };
  };
  const send = async (input: RequestInfo | URL, init: RequestInit | undefined, token: Token) => {
    const request = isRequest(input) ? input : undefined;
    const url = urlOf(input, base);
    const headers = new Headers(init?.headers ?? request?.headers);
    headers.set('Authorization', `${token.scheme} ${token.value}`);
    let sent: Record<string, string> | undefined;
    if (proof && token.scheme !== 'Bearer') {
      const method = init?.method ?? request?.method ?? 'GET';
      sent = await proof.headers({ method, url, accessToken: token.value });
      for (const [name, value] of Object.entries(sent)) headers.set(name, value);
    }
    // A Request's body can be read once: each attempt sends its own copy.
    const response = await (fetchImpl ?? platformFetch)(request?.clone() ?? input, { ...init, headers });
    // Every answer is shown to the proof module: a `DPoP-Nonce` may come with a success too.
    const redo = !!proof?.retry({ status: response.status, headers: response.headers, url, sent });
    return { response, redo };
  };
  return async (input, init) => {
    // One send with `token`, and once more when the API asks for the proof to be redone (a new nonce).
    const attempt = async (token: Token) => {
      const { response, redo } = await send(input, init, token);
      return redo && response.status === 401 && replayable(init)
        ? (await send(input, init, token)).response
        : response;
    };
    const token = await tokenFor(tokenOptions);
    const response = await attempt(token);
    if (response.status !== 401 || !replayable(init) || !rejectsToken(response, token.scheme)) {
      return response;
    }
    return attempt(await tokenFor({ ...tokenOptions, cacheMode: 'off' }));
  };
}
