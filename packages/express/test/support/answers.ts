import type { Response } from 'supertest';
import { expect } from 'vitest';

/** Asserts one complete RFC 6750 refusal: status, JSON body and the matching challenge. */
export function expectAnswer(
  res: Response,
  status: number,
  error: string,
  description: string,
  scope?: string,
) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual({ error, error_description: description });
  expect(res.headers['www-authenticate']).toBe(
    `Bearer realm="api", error="${error}", error_description="${description}"` +
      (scope ? `, scope="${scope}"` : ''),
  );
}
