import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dpop, memoryKeyStore } from '../src/dpop.js';

const url = 'https://api.test/things';
const nonceIn = (proof: string): unknown =>
  JSON.parse(Buffer.from(proof.split('.')[1]!, 'base64url').toString('utf8')).nonce;

// RFC 9449 §8.1: nonce = 1*NQCHAR, any visible ASCII but `"` and `\`.
const nonce = fc.stringMatching(/^[\x21\x23-\x5b\x5d-\x7e]+$/);

const quote = (value: string) => `"${value.replace(/[\\"]/g, '\\$&')}"`;

// Challenges as resource servers send them (RFC 9110 §11.6.1): any scheme in any letter case, an
// `error` token or quoted string, a realm that may itself read like a request for a nonce.
const challenge = fc.record({
  scheme: fc.constantFrom('DPoP', 'dpop', 'DPOP', 'Bearer', 'Basic', 'Newauth'),
  error: fc.option(
    fc.constantFrom('use_dpop_nonce', 'invalid_token', 'insufficient_scope', 'USE_DPOP_NONCE'),
  ),
  quoted: fc.boolean(),
  realm: fc.option(fc.oneof(fc.constant('x", error="use_dpop_nonce'), fc.string({ unit: 'grapheme-ascii' }))),
});
type Challenge = typeof challenge extends fc.Arbitrary<infer T> ? T : never;

function header(challenges: Challenge[]): string {
  return challenges
    .map(({ scheme, error, quoted, realm }) => {
      const params = [];
      if (realm !== null) params.push(`realm=${quote(realm)}`);
      if (error !== null) params.push(`error=${quoted ? quote(error) : error}`);
      return params.length ? `${scheme} ${params.join(', ')}` : scheme;
    })
    .join(', ');
}

describe('DPoP server nonces from untrusted answers', () => {
  it('a 401 asks for a nonce exactly when one of its challenges is DPoP with error use_dpop_nonce', () => {
    fc.assert(
      fc.property(fc.array(challenge, { minLength: 1, maxLength: 4 }), (challenges) => {
        const headers = new Headers({ 'WWW-Authenticate': header(challenges), 'DPoP-Nonce': 'n1' });
        const asks = challenges.some(
          ({ scheme, error }) => scheme.toLowerCase() === 'dpop' && error === 'use_dpop_nonce',
        );
        expect(dpop().retry({ status: 401, headers, body: undefined, url })).toBe(asks);
      }),
      { numRuns: 300 },
    );
  });

  it('any nonce a server hands out is sent back as is in the next proof, and asked for once only', async () => {
    const keyStore = memoryKeyStore();
    await fc.assert(
      fc.asyncProperty(nonce, async (value) => {
        const module = dpop({ keyStore });
        const asks = { status: 400, headers: new Headers({ 'DPoP-Nonce': value }), url };
        expect(module.retry({ ...asks, body: { error: 'use_dpop_nonce' } })).toBe(true);
        expect(nonceIn(await module.createProof({ method: 'POST', url }))).toBe(value);
        expect(module.retry({ ...asks, body: { error: 'use_dpop_nonce' } })).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
