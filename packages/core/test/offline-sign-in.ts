import { memoryStorage, type StorageAdapter } from '../src/storage.js';
import { OFFLINE_ISSUER, OFFLINE_NOW, offlineClient } from './support.js';

const segment = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const seconds = OFFLINE_NOW / 1000;

/**
 * Signs in with `offlineClient` at a server whose token endpoint answers with an ID token of these
 * claims and header; `written` holds each value the client stored, `outcome` the callback's handling.
 */
export async function offlineSignIn(claims: Record<string, unknown>, header: unknown = { alg: 'RS256' }) {
  const navigations: string[] = [];
  const written: string[] = [];
  const inner = memoryStorage();
  const storage: StorageAdapter = {
    ...inner,
    set: (key, value) => (written.push(value), inner.set(key, value)),
  };
  let nonce = '';
  const idToken = () =>
    `${segment(header)}.${segment({ iss: OFFLINE_ISSUER, sub: 'u', aud: 'app', iat: seconds, exp: seconds + 600, nonce, ...claims })}.c2ln`;
  const world = offlineClient(
    {},
    async () =>
      Response.json({
        access_token: 'the-access-token',
        token_type: 'Bearer',
        expires_in: 600,
        id_token: idToken(),
      }),
    { navigate: (url) => void navigations.push(url), storage },
  );
  await world.client.loginWithRedirect();
  const authorize = new URL(navigations[0]!).searchParams;
  nonce = authorize.get('nonce')!;
  const callback = `https://app.example/callback?code=c&state=${authorize.get('state')}`;
  return { ...world, written, outcome: world.client.handleRedirectCallback(callback) };
}
