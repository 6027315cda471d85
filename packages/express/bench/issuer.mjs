// The benchmarks' authorization server: discovery and a JWKS served from this process, and RS256
// access tokens minted locally (each with its own `jti`, so every token is new).
import { Buffer } from 'node:buffer';
import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

export async function startBenchIssuer(audience) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'bench', alg: 'RS256', use: 'sig' };
  const server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    const body = req.url === '/jwks.json' ? { keys: [jwk] } : { issuer, jwks_uri: `${issuer}/jwks.json` };
    res.end(JSON.stringify(body));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const header = b64({ alg: 'RS256', kid: 'bench', typ: 'at+jwt' });
  const mint = () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: issuer,
      aud: audience,
      sub: 'bench-user',
      scope: 'read:things',
      iat: now,
      exp: now + 3600,
    };
    const input = `${header}.${b64({ ...claims, jti: randomUUID() })}`;
    return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey, 'base64url')}`;
  };
  return { issuer, mint, publicKey, close: () => server.close() };
}
