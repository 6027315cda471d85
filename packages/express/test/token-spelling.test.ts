import type { Server } from 'node:http';
import express from 'express';
import fc from 'fast-check';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAuth } from '../src/index.js';
import { expectAnswer } from './support/answers.js';
import { close, listen, probeApp } from './support/app.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './support/issuer.js';

// RFC 7515 §2: a JWS segment is base64url with no padding and no other character; RFC 4648 §3.5: the
// bits of the last character beyond the data are zero. Node decodes leniently, so each edit below
// gives another text for the same bytes: a token spelt so must be refused, not verified (and cached)
// as a token of its own.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The same 6-bit value spelt in the standard alphabet (`+`, `/`), which Node also reads. */
const standardAlphabet = (segment: string, at: number) => {
  const i = at % segment.length;
  const swapped = { '-': '+', _: '/' }[segment[i]!];
  return swapped ? segment.slice(0, i) + swapped + segment.slice(i + 1) : segment;
};

/** The last character with other spare bits (a 2- or 3-character tail carries 4 or 2 of them). */
const spareBits = (segment: string, bits: number) => {
  const rest = segment.length % 4;
  if (rest !== 2 && rest !== 3) return segment;
  const mask = rest === 2 ? 0b1111 : 0b11;
  const value = (ALPHABET.indexOf(segment.at(-1)!) & ~mask) | (bits & mask);
  return segment.slice(0, -1) + ALPHABET[value];
};

/** A 6-bit character after whole groups of four: less than a byte, which Node drops. */
const dangling = (segment: string, char: string) => (segment.length % 4 === 0 ? segment + char : segment);

const edits = fc.record({
  standard: fc.option(fc.nat()),
  spare: fc.option(fc.integer({ min: 1, max: 15 })),
  dangling: fc.option(fc.constantFrom(...ALPHABET)),
  // Characters Node skips: `~` is RFC 6750 b64token, the others are not even that.
  skipped: fc.array(fc.tuple(fc.nat(), fc.constantFrom('~', '!', '*', '$')), { maxLength: 3 }),
  padding: fc.constantFrom('', '=', '=='),
});

function respell(segment: string, edit: typeof edits extends fc.Arbitrary<infer E> ? E : never): string {
  let text = segment;
  if (edit.standard !== null) text = standardAlphabet(text, edit.standard);
  if (edit.spare !== null) text = spareBits(text, edit.spare);
  if (edit.dangling !== null) text = dangling(text, edit.dangling);
  for (const [at, char] of edit.skipped) {
    const i = at % (text.length + 1);
    text = text.slice(0, i) + char + text.slice(i);
  }
  return text + edit.padding;
}

let issuer: TestIssuer;
let server: Server;
const call = (token: string) => request(server).get('/probe').set('Authorization', `Bearer ${token}`);

beforeAll(async () => {
  issuer = await startTestIssuer();
  // With the verified-token cache: a token that verified (and is cached) must not admit its respellings.
  server = await listen(
    probeApp(express, requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, env: {} })),
  );
});
afterAll(async () => {
  await close(server);
  await issuer.close();
});

describe('a token is accepted in its one canonical spelling only', () => {
  it('refuses every other spelling of a valid token as malformed', async () => {
    const token = await issuer.sign();
    expect((await call(token)).status).toBe(200);
    expect((await call(token)).status).toBe(200);
    const segments = token.split('.');
    await fc.assert(
      fc.asyncProperty(fc.tuple(edits, edits, edits), async (perSegment) => {
        const spelt = segments.map((segment, i) => respell(segment, perSegment[i]!));
        fc.pre(spelt.join('.') !== token);
        // The premise: the very bytes of the token, as Node decodes them.
        spelt.forEach((segment, i) => {
          expect(Buffer.from(segment, 'base64url')).toEqual(Buffer.from(segments[i]!, 'base64url'));
        });
        expectAnswer(await call(spelt.join('.')), 401, 'invalid_token', 'Malformed token');
      }),
      { numRuns: 150 },
    );
    expect((await call(token)).status).toBe(200);
  });

  it.each([
    ['a number', 1],
    ['a list', ['rs256']],
    ['null', null],
    ['an object', { id: 'rs256' }],
  ])('refuses a kid that is %s (RFC 7515 §4.1.4: a string) as malformed', async (_case, kid) => {
    const token = await issuer.sign({}, { header: { kid } });
    expectAnswer(await call(token), 401, 'invalid_token', 'Malformed token');
  });
});
