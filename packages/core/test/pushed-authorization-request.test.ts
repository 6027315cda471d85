import { signIn, type DevIdp } from '@grantflow/dev-idp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthClient } from '../src/index.js';
import { discover, type ServerMetadata } from '../src/discovery.js';
import { InvalidResponseError, OAuthError } from '../src/errors.js';
import {
  buildPushedAuthorizeUrl,
  processPushedAuthorizationResponse,
  pushAuthorizationRequest,
} from '../src/par.js';
import { createCodeVerifier, deriveCodeChallenge } from '../src/pkce.js';
import { exchangeCode } from '../src/token-endpoint.js';
import { ALICE, REDIRECT_URI, startIdp } from './support.js';

describe('processPushedAuthorizationResponse', () => {
  it('returns request_uri and expires_in from a 201', () => {
    expect(processPushedAuthorizationResponse(201, { request_uri: 'urn:x', expires_in: 60 })).toEqual({
      request_uri: 'urn:x',
      expires_in: 60,
    });
  });

  it('turns an OAuth error body into OAuthError with the status', () => {
    expect(() => processPushedAuthorizationResponse(400, { error: 'invalid_request' })).toThrow(OAuthError);
  });

  it("keeps an OAuth error's description and URI when they are strings, and drops them otherwise", () => {
    const refusal = (body: Record<string, unknown>) => {
      try {
        processPushedAuthorizationResponse(400, { error: 'invalid_request', ...body });
      } catch (caught) {
        return caught;
      }
      throw new Error('accepted');
    };
    expect(refusal({ error_description: 'bad scope', error_uri: 'https://idp.example/why' })).toMatchObject({
      status: 400,
      error: 'invalid_request',
      error_description: 'bad scope',
      error_uri: 'https://idp.example/why',
    });
    expect(refusal({ error_description: 42, error_uri: ['x'] })).toMatchObject({
      error_description: undefined,
      error_uri: undefined,
    });
  });

  it.each([
    [201, { expires_in: 60 }],
    [201, { request_uri: 'urn:x', expires_in: 0 }],
    [201, { request_uri: 'urn:x' }],
    [500, undefined],
    [302, { request_uri: 'urn:x', expires_in: 60 }],
  ])('refuses HTTP %i %j with InvalidResponseError', (status, body) => {
    expect(() => processPushedAuthorizationResponse(status, body)).toThrow(InvalidResponseError);
  });
});

describe('processPushedAuthorizationResponse, in detail', () => {
  it('takes a 200 as a 201, and a success carrying an error member as a success', () => {
    const pushed = { request_uri: 'urn:x', expires_in: 60 };
    expect(processPushedAuthorizationResponse(200, pushed)).toEqual(pushed);
    expect(processPushedAuthorizationResponse(201, { ...pushed, error: 'ignored' })).toEqual(pushed);
  });

  it.each([
    [500, { request_uri: 'urn:x', expires_in: 60 }, 'pushed authorization request: HTTP 500'],
    [201, { request_uri: '', expires_in: 60 }, 'pushed authorization request: bad request_uri'],
    [201, { request_uri: 42, expires_in: 60 }, 'pushed authorization request: bad request_uri'],
    [201, { request_uri: 'urn:x', expires_in: 'soon' }, 'pushed authorization request: bad expires_in'],
  ])('says what is wrong with HTTP %i %j', (status, body, message) => {
    expect(() => processPushedAuthorizationResponse(status, body)).toThrow(message);
  });
});

describe('pushAuthorizationRequest', () => {
  const params = {
    client_id: 'app',
    redirect_uri: 'https://app.example/callback',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    state: 'st',
  };

  it('posts a form and asks for JSON', async () => {
    const sent: Request[] = [];
    const fetch = async (url: string, init: RequestInit) => {
      sent.push(new Request(url, init));
      return Response.json({ request_uri: 'urn:x', expires_in: 60 }, { status: 201 });
    };
    await expect(pushAuthorizationRequest('https://idp.example/par', params, { fetch })).resolves.toEqual({
      request_uri: 'urn:x',
      expires_in: 60,
    });
    const [request] = sent as [Request];
    expect(request.method).toBe('POST');
    expect(request.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(request.headers.get('accept')).toBe('application/json');
    expect(new URLSearchParams(await request.text()).get('state')).toBe('st');
  });

  it('names the endpoint that is not an absolute URL', async () => {
    await expect(pushAuthorizationRequest('/par', params)).rejects.toThrow(
      new TypeError('pushed authorization request endpoint must be an absolute URL'),
    );
    expect(() => buildPushedAuthorizeUrl('/authorize', 'app', 'urn:x')).toThrow(
      new TypeError('authorization endpoint must be an absolute URL'),
    );
  });
});

describe('buildPushedAuthorizeUrl', () => {
  it('carries only client_id and request_uri (RFC 9126 §4)', () => {
    const url = buildPushedAuthorizeUrl(
      'https://idp.test/authorize',
      'app',
      'urn:ietf:params:oauth:request_uri:abc',
    );
    expect([...url.searchParams.keys()]).toEqual(['client_id', 'request_uri']);
  });
});

describe('a login at a server that requires PAR', () => {
  it('is refused when the server names no PAR endpoint, and nothing is sent or navigated', async () => {
    const navigations: string[] = [];
    const requests: string[] = [];
    const client = createAuthClient({
      issuer: 'https://idp.example/',
      clientId: 'app',
      redirectUri: 'https://app.example/callback',
      endpoints: {
        authorization: 'https://idp.example/authorize',
        token: 'https://idp.example/token',
        requirePushedAuthorizationRequests: true,
      },
      fetch: async (url) => {
        requests.push(url);
        throw new TypeError('no request expected');
      },
      navigate: (url) => void navigations.push(url),
      environment: { sessionStorage: undefined, localStorage: undefined },
    });
    const attempt = client.loginWithRedirect();
    await expect(attempt).rejects.toBeInstanceOf(InvalidResponseError);
    await expect(attempt).rejects.toThrow(
      'the server requires pushed authorization requests but names no endpoint',
    );
    expect([navigations, requests]).toEqual([[], []]);
    expect(client.getSnapshot().error?.code).toBe('invalid_response');
    client.destroy();
  });
});

describe('PAR against the dev IdP', () => {
  let idp: DevIdp;
  let metadata: ServerMetadata;
  beforeAll(async () => {
    idp = await startIdp();
    metadata = await discover(idp.issuer);
  });
  afterAll(() => idp.close());

  it('pushes the parameters, signs in with the request_uri and exchanges the code', async () => {
    const verifier = createCodeVerifier();
    const pushed = await pushAuthorizationRequest(String(metadata.pushed_authorization_request_endpoint), {
      client_id: 'grantflow-demo',
      redirect_uri: REDIRECT_URI,
      code_challenge: await deriveCodeChallenge(verifier),
      state: 'state-1',
      nonce: 'nonce-1',
      scope: 'openid offline_access read:appointments',
      audience: 'https://api.grantflow.local/appointments',
    });
    const url = buildPushedAuthorizeUrl(
      metadata.authorization_endpoint,
      'grantflow-demo',
      pushed.request_uri,
    );
    const callback = await signIn(url, ALICE);
    expect(callback.searchParams.get('state')).toBe('state-1');
    expect(callback.searchParams.get('iss')).toBe(metadata.issuer);
    const tokens = await exchangeCode(metadata.token_endpoint, {
      client_id: 'grantflow-demo',
      code: callback.searchParams.get('code')!,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
    });
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it('surfaces the server refusing a push as OAuthError', async () => {
    const push = pushAuthorizationRequest(String(metadata.pushed_authorization_request_endpoint), {
      client_id: 'grantflow-demo',
      redirect_uri: 'https://evil.example.test/cb',
      code_challenge: await deriveCodeChallenge(createCodeVerifier()),
      state: 's',
    });
    await expect(push).rejects.toMatchObject({ code: 'oauth_error', error: 'invalid_request', status: 400 });
  });
});
