import { NetworkError } from '@grantflow/core';
import { describe, expect, it } from 'vitest';
import { explainAppointmentsError } from '../src/api-errors.js';
import { ApiError, type ApiExchange } from '../src/api.js';

const answer = (fields: Partial<ApiExchange> & Pick<ApiExchange, 'status'>) =>
  new ApiError({ method: 'POST', path: '/api/appointments', at: 0, ...fields });

describe('explainAppointmentsError', () => {
  it('a 400 with fields names each field and its message', () => {
    const error = answer({
      status: 400,
      error: 'invalid_request',
      description: 'The appointment is invalid',
      fields: { title: 'Required, a non-empty string', startsAt: 'Must be a date' },
    });
    expect(explainAppointmentsError(error, { signedIn: true })).toEqual({
      words: 'The appointment was not saved. Title: Required, a non-empty string. Starts at: Must be a date.',
      details: 'POST /api/appointments → 400 invalid_request: The appointment is invalid',
    });
  });

  it('a 400 with fields only (no RFC 6750 error) is not a bare "400"', () => {
    const { words } = explainAppointmentsError(answer({ status: 400, fields: { title: 'Required' } }));
    expect(words).toBe('The appointment was not saved. Title: Required.');
  });

  it('a 503 says the API is briefly unavailable, and when to try again if it said', () => {
    expect(explainAppointmentsError(answer({ status: 503, retryAfter: 5 }), { signedIn: true }).words).toBe(
      'The appointments API is unavailable for a moment; you are still signed in. Try again in 5 s.',
    );
    expect(explainAppointmentsError(answer({ status: 503 })).words).toBe(
      'The appointments API is unavailable for a moment. Try again in a moment.',
    );
  });

  it('a 403 names the scope the challenge asked for', () => {
    const { words } = explainAppointmentsError(
      answer({ status: 403, error: 'insufficient_scope', scope: 'admin:appointments' }),
    );
    expect(words).toBe(
      'Forbidden (403): this action needs the scope “admin:appointments”, which your access token does not have.',
    );
  });

  it('the API out of reach, and a core error while renewing the token', () => {
    expect(explainAppointmentsError(new TypeError('Failed to fetch'))).toEqual({
      words: "Can't reach the appointments API. Try again in a moment.",
      details: 'Failed to fetch',
    });
    expect(explainAppointmentsError(new NetworkError('fetch failed'), { signedIn: true }).words).toBe(
      "Can't reach the sign-in service; you are still signed in.",
    );
  });
});
