// One middleware driven in-process with minimal requests, for bench/instructions.mjs (run under
// callgrind). Usage: node instructions-child.mjs <variant> <issuer> <audience> <tokens.json>.
// Prints READY once warm, measures when a line arrives on stdin, then prints DONE.
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { auth } from 'express-oauth2-jwt-bearer';
import { requireAuth } from '@grantflow/express';
import { through as throughMiddleware } from './fake-request.mjs';

const [variant, issuer, audience, tokensFile] = process.argv.slice(2);
const { warm, measured, prime } = JSON.parse(readFileSync(tokensFile, 'utf8'));
const CONCURRENCY = 50;
// Under valgrind the first discovery and JWKS fetches take seconds.
const SLOW = 120_000;

// node:http rather than fetch: fetch compiles its WebAssembly parser on a background thread, which
// would land in the counted window.
const { keys } = await new Promise((resolve, reject) =>
  get(`${issuer}/jwks.json`, async (res) => {
    let body = '';
    for await (const chunk of res) body += chunk;
    resolve(JSON.parse(body));
  }).once('error', reject),
);
const publicKey = createPublicKey({ key: keys[0], format: 'jwk' });

/** The signature check alone, as jose runs it: node:crypto's one-shot verify on the thread pool. */
function verifySignature(req, _res, next) {
  const token = req.headers.authorization.slice(7);
  const dot = token.lastIndexOf('.');
  const input = Buffer.from(token.slice(0, dot));
  verify('RSA-SHA256', input, publicKey, Buffer.from(token.slice(dot + 1), 'base64url'), (err, ok) =>
    next(err ?? (ok ? undefined : new Error('bad signature'))),
  );
}

const MIDDLEWARE = {
  baseline: () => (_req, _res, next) => next(),
  rsa: () => verifySignature,
  library: () => auth({ issuerBaseURL: issuer, audience, timeoutDuration: SLOW }),
  grantflow: () => requireAuth({ issuerBaseURL: issuer, audience, env: {}, timeoutDuration: SLOW }),
};
const middleware = MIDDLEWARE[variant]();

const through = throughMiddleware(middleware);

async function drive(tokens, count) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await through(tokens[next++ % tokens.length]);
    }),
  );
}

await drive(warm, warm.length);
// Cached tokens: each verified twice (so in the cache), then hits until the code is optimised.
if (prime) await drive(measured, Math.max(3000, 3 * measured.length));
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
process.stdout.write('READY\n');
await lines.next();
await drive(measured, Number(process.env.COUNT));
process.stdout.write('DONE\n');
await lines.next();
process.exit(0);
