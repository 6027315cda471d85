import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

/** Everything that must survive a restart for sessions and tokens to stay valid. */
export interface Secrets {
  jwks: { keys: JWK[] };
  cookieKeys: string[];
}

const SECRETS_FILE = 'secrets.json';

export async function generateSecrets(): Promise<Secrets> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  return {
    jwks: { keys: [{ ...jwk, kid: randomUUID(), alg: 'RS256', use: 'sig' }] },
    cookieKeys: [randomBytes(32).toString('base64url')],
  };
}

function isSecrets(value: unknown): value is Secrets {
  const candidate = value as Partial<Secrets> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    Array.isArray(candidate.jwks?.keys) &&
    candidate.jwks.keys.length > 0 &&
    Array.isArray(candidate.cookieKeys) &&
    candidate.cookieKeys.length > 0
  );
}

/** Reuses the keys in `dir` (so a restart keeps users signed in) or creates them there. */
export async function loadOrCreateSecrets(dir: string): Promise<Secrets> {
  const file = join(dir, SECRETS_FILE);
  try {
    const stored: unknown = JSON.parse(await readFile(file, 'utf8'));
    if (isSecrets(stored)) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secrets = await generateSecrets();
  await mkdir(dir, { recursive: true });
  // Private keys: readable by the owner only.
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
