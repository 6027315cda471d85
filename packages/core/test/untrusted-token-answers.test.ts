import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdTokenInvalidError, InvalidResponseError, OAuthError } from '../src/errors.js';
import { decodeJwt } from '../src/id-token.js';
import { processTokenResponse } from '../src/token-endpoint.js';

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

  it('refuses anything else with IdTokenInvalidError naming the format or the payload', () => {
    const token = fc.oneof(
      fc.string(),
      fc.jsonValue().map((payload) => jwt(JSON.stringify(payload))),
      fc.string().map((payload) => `h.${payload}.s`),
    );
    fc.assert(
      fc.property(token, (candidate) => {
        try {
          const payload = decodeJwt(candidate);
          expect(typeof payload === 'object' && payload !== null && !Array.isArray(payload)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(IdTokenInvalidError);
          expect((error as IdTokenInvalidError).message).toMatch(/^ID token: bad (format|payload)$/);
        }
      }),
    );
  });
});

const optionalText = fc.option(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { nil: undefined });
const tokenAnswer = fc.record(
  {
    // Mostly usable, so that the other members' checks are reached.
    access_token: fc.oneof({ arbitrary: fc.string({ minLength: 1 }), weight: 4 }, optionalText),
    token_type: fc.oneof(
      { arbitrary: fc.constant('bearer'), weight: 4 },
      fc.constantFrom('DPoP', 'mac', 7, undefined),
    ),
    expires_in: fc.option(
      fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double(), fc.string(), fc.constant(null)),
      {
        nil: undefined,
      },
    ),
    scope: optionalText,
    refresh_token: optionalText,
    id_token: optionalText,
    error: optionalText,
  },
  { requiredKeys: [] },
);

const absentOrText = (value: unknown) => value === undefined || (typeof value === 'string' && value !== '');

describe('a token endpoint answer (property)', () => {
  it('is a complete, well-typed token response, or a typed error: never half-valid', () => {
    const status = fc.constantFrom(200, 400, 401, 500, 503);
    fc.assert(
      fc.property(status, fc.oneof(tokenAnswer, fc.jsonValue()), (code, body) => {
        try {
          const response = processTokenResponse(code, body);
          expect(response.access_token).toMatch(/./);
          expect(response.token_type).toBe('Bearer');
          const { expires_in } = response;
          if (expires_in !== undefined) expect(Number.isFinite(expires_in) && expires_in >= 0).toBe(true);
          for (const field of [response.scope, response.refresh_token, response.id_token]) {
            expect(absentOrText(field)).toBe(true);
          }
        } catch (error) {
          const oauth = code !== 200 && typeof (body as { error?: unknown } | null)?.error === 'string';
          expect(error).toBeInstanceOf(oauth ? OAuthError : InvalidResponseError);
          if (oauth) expect(error).toMatchObject({ status: code, error: (body as { error: string }).error });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('accepts every well-formed success as sent (RFC 6749 §5.1); null or "" members are absent', () => {
    const absent = fc.constantFrom(undefined, null, '');
    const text = fc.oneof(fc.string({ minLength: 1 }), absent);
    const seconds = fc.oneof(
      fc.constantFrom(0, 1),
      fc.nat(),
      fc.nat().map(String),
      fc.constantFrom(undefined, null),
    );
    const success = fc.record({
      access_token: fc.string({ minLength: 1 }),
      token_type: fc.constantFrom('Bearer', 'bearer', 'BEARER'),
      expires_in: seconds,
      scope: text,
      refresh_token: text,
      id_token: text,
    });
    const read = (value: string | null | undefined) => (value ? value : undefined);
    fc.assert(
      fc.property(success, fc.dictionary(fc.string(), fc.jsonValue()), (fields, extra) => {
        expect(processTokenResponse(200, { ...extra, ...fields })).toEqual({
          access_token: fields.access_token,
          token_type: 'Bearer',
          expires_in:
            fields.expires_in === undefined || fields.expires_in === null
              ? undefined
              : Number(fields.expires_in),
          scope: read(fields.scope),
          refresh_token: read(fields.refresh_token),
          id_token: read(fields.id_token),
        });
      }),
    );
  });
});
