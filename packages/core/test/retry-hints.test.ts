import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidResponseError, OAuthError } from '../src/errors.js';
import { MfaRequiredError } from '../src/mfa.js';
import { retryAfter, type FetchLike } from '../src/http.js';
import { refreshTokens } from '../src/token-endpoint.js';

const NOW = 1_700_000_000_000;
const TOKEN = 'https://idp.example/token';
const hint = (status: number, headers: Record<string, string>) =>
  retryAfter(status, new Headers(headers), NOW);
/** The server's date for `ms` from NOW, as servers write it (IMF-fixdate, whole seconds). */
const httpDate = (ms: number) => new Date(NOW + ms).toUTCString();

describe('retryAfter: the wait a 429 or 503 answer asks for', () => {
  it('reads Retry-After as delay-seconds or an HTTP-date, on 429 and 503', () => {
    expect(hint(429, { 'retry-after': '120' })).toBe(120);
    expect(hint(503, { 'retry-after': '0' })).toBe(0);
    expect(hint(503, { 'retry-after': httpDate(90_000) })).toBe(90);
    // Counted from now, rounded up to whole seconds: never sooner than asked.
    expect(retryAfter(429, new Headers({ 'retry-after': httpDate(90_000) }), NOW + 500)).toBe(90);
    expect(hint(429, { 'retry-after': 'Sun, 06 Nov 1994 08:49:37 GMT' })).toBeUndefined();
  });

  it("falls back on a 429 to Auth0's x-ratelimit-reset (epoch seconds), never on a 503", () => {
    const reset = String(NOW / 1000 + 42);
    expect(hint(429, { 'x-ratelimit-reset': reset })).toBe(42);
    expect(hint(429, { 'x-ratelimit-reset': reset, 'retry-after': '7' })).toBe(7);
    expect(hint(429, { 'x-ratelimit-reset': reset, 'retry-after': 'soon' })).toBe(42);
    expect(hint(503, { 'x-ratelimit-reset': reset })).toBeUndefined();
    expect(hint(429, { 'x-ratelimit-reset': String(NOW / 1000 - 1) })).toBeUndefined();
  });

  it('is undefined for other statuses: the hint means "overloaded" or "limited" only there', () => {
    for (const status of [200, 400, 401, 403, 500, 502, 504]) {
      expect(hint(status, { 'retry-after': '120', 'x-ratelimit-reset': String(NOW / 1000 + 60) })).toBe(
        undefined,
      );
    }
  });

  it('ignores values that are not exactly one of the two forms', () => {
    const odd = [
      '-5',
      '+5',
      '5.0',
      '5s',
      '1e3',
      '0x10',
      '120, 120',
      '12345678901',
      'Infinity',
      'Invalid Date',
      'foo 1',
      '2030-01-01T00:00:00Z',
      // The obsolete forms of RFC 9110 §5.6.7, a wrong weekday, a short day, lower case
      'Sunday, 06-Nov-94 08:49:37 GMT',
      'Sun Nov  6 08:49:37 1994',
      'Mon, 06 Nov 2094 08:49:37 GMT',
      'Sat, 6 Nov 2094 08:49:37 GMT',
      httpDate(60_000).toLowerCase(),
      httpDate(60_000).replace('GMT', 'UTC'),
    ];
    for (const value of odd) {
      expect([value, hint(429, { 'retry-after': value })]).toEqual([value, undefined]);
      expect([value, hint(429, { 'x-ratelimit-reset': value })]).toEqual([value, undefined]);
    }
  });
});

describe('retryAfter (property: the headers are untrusted)', () => {
  const status = fc.constantFrom(200, 400, 403, 429, 500, 503);
  // What a header may hold (printable ASCII), with digits and dates, which the parser reads, often.
  const value = fc.oneof(
    fc.string({ unit: 'grapheme-ascii' }),
    fc.stringMatching(/^[-+ ]?\d{0,12}$/),
    fc.integer({ min: -8.64e15, max: 8.64e15 }).map((ms) => new Date(ms).toUTCString()),
  );

  it('answers undefined or a whole number of seconds, whatever the headers say', () => {
    fc.assert(
      fc.property(status, value, value, fc.integer({ min: 0, max: 2 ** 42 }), (code, after, reset, now) => {
        const wait = retryAfter(code, new Headers({ 'retry-after': after, 'x-ratelimit-reset': reset }), now);
        expect(wait === undefined || (Number.isSafeInteger(wait) && wait >= 0)).toBe(true);
        if (code !== 429 && code !== 503) expect(wait).toBeUndefined();
      }),
    );
  });

  it('gives delay-seconds as they are', () => {
    fc.assert(
      fc.property(fc.constantFrom(429, 503), fc.nat(2 ** 31), (code, seconds) => {
        expect(hint(code, { 'retry-after': String(seconds) })).toBe(seconds);
      }),
    );
  });

  it('counts a future HTTP-date from now, and ignores a past one', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e11, max: 1e11 }), (seconds) => {
        const wait = hint(503, { 'retry-after': httpDate(seconds * 1000) });
        expect(wait).toBe(seconds >= 0 ? seconds : undefined);
      }),
    );
  });

  it('ignores a string that is neither digits nor an HTTP-date', () => {
    const junk = fc.string({ unit: 'grapheme-ascii' }).filter((value) => !/^\d+$/.test(value.trim()));
    fc.assert(
      fc.property(junk, (value) => {
        expect(hint(429, { 'retry-after': value })).toBeUndefined();
        expect(hint(429, { 'x-ratelimit-reset': value })).toBeUndefined();
      }),
    );
  });
});

/** A token endpoint answering once with `body` (a string as is), `status` and `headers`. */
const answering =
  (status: number, body: unknown, headers: Record<string, string> = {}): FetchLike =>
  async () =>
    new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers });

const refusal = (fetch: FetchLike) =>
  refreshTokens(TOKEN, { client_id: 'app', refresh_token: 'rt' }, { fetch, now: () => NOW }).then(
    () => expect.unreachable('no tokens from a refusal'),
    (error: unknown) => error,
  );

describe('token endpoint errors carry the wait the server asked for', () => {
  it("on a 429 OAuth error, from Retry-After (Auth0's too_many_requests)", async () => {
    const body = { error: 'too_many_requests', error_description: 'Global limit has been reached' };
    const error = await refusal(answering(429, body, { 'retry-after': '120' }));
    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: 'oauth_error', status: 429, retryAfter: 120 });
  });

  it("on a 429 without Retry-After, from x-ratelimit-reset by the client's clock", async () => {
    const error = await refusal(
      answering(429, { error: 'too_many_requests' }, { 'x-ratelimit-reset': String(NOW / 1000 + 30) }),
    );
    expect(error).toMatchObject({ status: 429, retryAfter: 30 });
  });

  it('on a 503 page that is no JSON, from an HTTP-date', async () => {
    const error = await refusal(
      answering(503, '<h1>Down for maintenance</h1>', { 'retry-after': httpDate(300_000) }),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ status: 503, retryAfter: 300 });
  });

  it('none on other answers, or when the server named no usable wait', async () => {
    const mfa = await refusal(answering(403, { error: 'mfa_required' }, { 'retry-after': '120' }));
    expect(mfa).toBeInstanceOf(MfaRequiredError);
    expect((mfa as MfaRequiredError).retryAfter).toBeUndefined();
    const garbled = await refusal(
      answering(503, { error: 'temporarily_unavailable' }, { 'retry-after': 'x' }),
    );
    expect(garbled).toMatchObject({ status: 503 });
    expect((garbled as OAuthError).retryAfter).toBeUndefined();
  });
});
