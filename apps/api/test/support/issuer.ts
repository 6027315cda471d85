import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSign, generateKeyPairSync } from 'node:crypto';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A minimal issuer (discovery + JWKS) of its own, beside the dev IdP: for tokens the dev IdP never
 * issues (no `sub`) and for a second authorization server. Counts the requests it receives.
 */
export async function startIssuer(audience: string) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    const body =
      req.url === '/jwks'
        ? { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }] }
        : { issuer: url, jwks_uri: `${url}/jwks` };
    res.setHeader('content-type', 'application/json').end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sign = (claims: Record<string, unknown>) => {
    const now = Math.floor(Date.now() / 1000);
    const input = `${b64url({ alg: 'RS256', kid: 'k1', typ: 'at+jwt' })}.${b64url({
      iss: url,
      aud: audience,
      iat: now,
      exp: now + 300,
      scope: 'read:appointments write:appointments',
      ...claims,
    })}`;
    return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey, 'base64url')}`;
  };
  return { url, sign, server, requests: () => requests };
}
