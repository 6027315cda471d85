import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdTokenInvalidError, InvalidResponseError, OAuthError } from '../src/errors.js';
import { decodeJwt } from '../src/id-token.js';
import { processTokenResponse, type TokenResponse } from '../src/token-endpoint.js';

const segment = (text: string) => Buffer.from(text).toString('base64url');
const jwt = (payload: string) => `${segment('{"alg":"RS256"}')}.${segment(payload)}.sig`;

describe('an ID token from the server, decoded (property)', () => {
  it('gives back any JSON object payload as sent, whatever base64url characters it encodes to', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (claims) => {
        const sent = JSON.stringify(claims);
        expect(decodeJwt(jwt(sent))).toEqual(JSON.parse(sent));
      }),
    );
  });

  it('refuses anything else with IdTokenInvalidError naming the part that is wrong', () => {
    const token = fc.oneof(
      fc.string(),
      fc.jsonValue().map((payload) => jwt(JSON.stringify(payload))),
      fc.string().map((payload) => `${segment('{"alg":"RS256"}')}.${payload}.s`),
    );
    fc.assert(
      fc.property(token, (candidate) => {
        try {
          const payload = decodeJwt(candidate);
          expect(typeof payload === 'object' && payload !== null && !Array.isArray(payload)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(IdTokenInvalidError);
          expect((error as IdTokenInvalidError).message).toMatch(
            /^ID token: bad (format|header|alg|payload)$/,
          );
        }
      }),
      // Three empty segments: a random string's header fails first (seen in CI, seed -326043201).
      { examples: [['..'], ['a.b.c']] },
    );
  });
});

describe('an ID token header from the server (property)', () => {
  const payload = segment('{"sub":"u"}');

  it('refuses an unsigned token: alg none, in any case, whatever else the header says', () => {
    const header = fc
      .tuple(fc.mixedCase(fc.constant('none')), fc.dictionary(fc.string(), fc.jsonValue()))
      .map(([alg, rest]) => ({ ...rest, alg }));
    fc.assert(
      fc.property(header, fc.stringMatching(/^[\w-]*$/), (sent, signature) => {
        const token = `${segment(JSON.stringify(sent))}.${payload}.${signature}`;
        expect(() => decodeJwt(token)).toThrow(new IdTokenInvalidError('ID token: bad alg'));
      }),
    );
  });

  it('refuses a header that is no JSON object with a string alg, and reads the payload past any other', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ alg: fc.jsonValue() })), (sent) => {
        const token = `${segment(JSON.stringify(sent))}.${payload}.sig`;
        const alg = (sent as { alg?: unknown } | null)?.alg;
        const isHeader = typeof sent === 'object' && sent !== null && !Array.isArray(sent);
        if (!isHeader || typeof alg !== 'string') {
          expect(() => decodeJwt(token)).toThrow(new IdTokenInvalidError('ID token: bad header'));
        } else if (alg === '' || alg.toLowerCase() === 'none') {
          expect(() => decodeJwt(token)).toThrow(new IdTokenInvalidError('ID token: bad alg'));
        } else {
          expect(decodeJwt(token)).toEqual({ sub: 'u' });
        }
      }),
    );
  });
});

/*
 * Token endpoint answers come in classes, each generated with the verdict it must get: what a member is sent
 * as is paired with what the response must give back, so no check below repeats the parser's own rules.
 */

/** A member as sent, and as the token response gives it back. */
type Sent<T> = readonly [sent: unknown, expected: T];

const asSent = <T>(value: T): Sent<T> => [value, value];
const absent = fc.constantFrom<Sent<undefined>>([undefined, undefined], [null, undefined], ['', undefined]);
const text = fc.oneof(fc.string({ minLength: 1 }).map(asSent), absent);
const notText = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.array(fc.string()),
  fc.dictionary(fc.string(), fc.string()),
);

/** A success as RFC 6749 §5.1 describes it, with the response it must give. */
const wellFormed = fc
  .record({
    access_token: fc.string({ minLength: 1 }).map(asSent),
    // The type is case-insensitive.
    token_type: fc.mixedCase(fc.constant('bearer')).map((type): Sent<string> => [type, 'Bearer']),
    // Seconds; some servers send them as a numeric string.
    expires_in: fc.oneof(
      fc.nat().map(asSent),
      fc.nat().map((seconds): Sent<number> => [String(seconds), seconds]),
      fc.constantFrom<Sent<undefined>>([undefined, undefined], [null, undefined]),
    ),
    scope: text,
    refresh_token: text,
    id_token: text,
  })
  .map((members) => ({
    body: Object.fromEntries(Object.entries(members).map(([name, [sent]]) => [name, sent])),
    response: {
      access_token: members.access_token[1],
      token_type: members.token_type[1],
      expires_in: members.expires_in[1],
      scope: members.scope[1],
      refresh_token: members.refresh_token[1],
      id_token: members.id_token[1],
    } satisfies TokenResponse,
  }));

/** For each member, values no token response may carry in it. */
const malformed = {
  access_token: fc.oneof(fc.constantFrom(undefined, null, ''), notText),
  token_type: fc.oneof(
    fc.constantFrom(undefined, null, '', 'DPoP', 'mac', 'bearer ', 'Bearer token', 'Basic'),
    notText,
  ),
  expires_in: fc.oneof(
    fc.integer({ max: -1 }),
    fc.double({ max: -Number.MIN_VALUE, noNaN: true }),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 'soon', '3600s', '-1', '0x10', '1e3', '60.5', {}),
  ),
  scope: notText,
  refresh_token: notText,
  id_token: notText,
};

const failureStatus = fc.integer({ min: 400, max: 599 });

/** What the parser throws for `body` at `status` (a test failure if it accepts it). */
function refusal(status: number, body: unknown): unknown {
  try {
    processTokenResponse(status, body);
  } catch (error) {
    return error;
  }
  throw new Error(`accepted ${JSON.stringify(body)} at ${status}`);
}

describe('a token endpoint answer (property)', () => {
  it('accepts every well-formed success as sent (RFC 6749 §5.1); null or "" members are absent', () => {
    fc.assert(
      fc.property(wellFormed, fc.dictionary(fc.string(), fc.jsonValue()), ({ body, response }, extra) => {
        expect(processTokenResponse(200, { ...extra, ...body })).toEqual(response);
      }),
    );
  });

  it('refuses a success with any one malformed member, naming that member', () => {
    const member = fc.constantFrom(...(Object.keys(malformed) as Array<keyof typeof malformed>));
    const answer = fc
      .tuple(wellFormed, member)
      .chain(([{ body }, name]) =>
        malformed[name].map((value) => ({ body: { ...body, [name]: value }, name })),
      );
    fc.assert(
      fc.property(answer, ({ body, name }) => {
        const error = refusal(200, body);
        expect(error).toBeInstanceOf(InvalidResponseError);
        expect(error).toMatchObject({ message: `token response: bad ${name}` });
      }),
    );
  });

  it('turns an error answer into OAuthError with its status and fields, whatever else it carries (RFC 6749 §5.2)', () => {
    const field = fc.oneof(
      fc.string({ minLength: 1 }).map(asSent),
      fc.oneof(notText, fc.constantFrom(undefined, null)).map((value): Sent<undefined> => [value, undefined]),
    );
    const answer = fc.record({
      status: failureStatus,
      error: fc.string(),
      error_description: field,
      error_uri: field,
      tokens: wellFormed,
    });
    fc.assert(
      fc.property(answer, ({ status, error, error_description, error_uri, tokens }) => {
        const body = {
          ...tokens.body,
          error,
          error_description: error_description[0],
          error_uri: error_uri[0],
        };
        const refused = refusal(status, body);
        expect(refused).toBeInstanceOf(OAuthError);
        expect(refused).toMatchObject({
          status,
          error,
          error_description: error_description[1],
          error_uri: error_uri[1],
        });
      }),
    );
  });

  it('refuses any other failure, and any body that is not a JSON object, with the status', () => {
    const notAnObject = fc.oneof(
      fc.string(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.jsonValue()),
    );
    const withoutError = fc.oneof(
      notAnObject,
      // Tokens in a failure answer are not taken.
      wellFormed.map(({ body }) => body),
      notText.map((error) => ({ error })),
    );
    const answer = fc.oneof(
      fc.record({ status: failureStatus, body: withoutError }),
      fc.record({ status: fc.constant(200), body: notAnObject }),
    );
    fc.assert(
      fc.property(answer, ({ status, body }) => {
        const error = refusal(status, body);
        expect(error).toBeInstanceOf(InvalidResponseError);
        expect(error).toMatchObject({ status, message: `token endpoint: HTTP ${status}` });
      }),
    );
  });

  it('whatever it is, is a complete, well-typed token response or a typed error: never half-valid', () => {
    // Mostly well-formed, so that the checks of the members left intact are reached.
    const noise = fc.record(
      {
        access_token: fc.oneof(fc.string(), notText, fc.constant(null)),
        token_type: fc.oneof(fc.constantFrom('bearer', 'DPoP', 'mac'), fc.string(), notText),
        expires_in: fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double(), fc.string(), fc.constant(null)),
        scope: fc.oneof(fc.string(), notText, fc.constant(null)),
        refresh_token: fc.oneof(fc.string(), notText, fc.constant(null)),
        id_token: fc.oneof(fc.string(), notText, fc.constant(null)),
        error: fc.oneof(fc.string(), notText),
      },
      { requiredKeys: [] },
    );
    const anything = fc.oneof(
      fc.tuple(wellFormed, noise).map(([{ body }, changes]) => ({ ...body, ...changes })),
      fc.jsonValue(),
    );
    const isText = (value: unknown) => value === undefined || (typeof value === 'string' && value !== '');
    fc.assert(
      fc.property(fc.constantFrom(200, 400, 401, 500, 503), anything, (status, body) => {
        let response: TokenResponse;
        try {
          response = processTokenResponse(status, body);
        } catch (error) {
          expect([OAuthError, InvalidResponseError].some((type) => error instanceof type)).toBe(true);
          return;
        }
        expect(response.access_token).toMatch(/./);
        expect(response.token_type).toBe('Bearer');
        const { expires_in } = response;
        if (expires_in !== undefined) expect(Number.isFinite(expires_in) && expires_in >= 0).toBe(true);
        for (const field of [response.scope, response.refresh_token, response.id_token]) {
          expect(isText(field)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
