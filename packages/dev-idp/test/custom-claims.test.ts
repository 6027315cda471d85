import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { ROLES_CLAIM, addRolesClaim, type TokenCustomization } from '../src/index.js';
import { ALICE, BOB, REDIRECT_URI, devIdpForFile, signInForTokens, tokenRequest } from './support.js';

const seen: TokenCustomization[] = [];
const customized = devIdpForFile({
  redirectUris: [REDIRECT_URI],
  customizeTokens(tokens) {
    seen.push(tokens);
    addRolesClaim(tokens);
    tokens.accessToken.setCustomClaim('https://app.example.test/plan', { tier: 'gold' });
    tokens.idToken.setCustomClaim('https://app.example.test/nickname', tokens.user.name.split(' ')[0]!);
    if (tokens.user.sub === 'bob') {
      tokens.accessToken.removeScope('read:appointments');
      tokens.accessToken.addScope('write:appointments');
    }
  },
});

describe('customizeTokens', () => {
  it('adds namespaced claims to the access and ID tokens', async () => {
    const { body } = await signInForTokens(customized.discovery, ALICE);
    const access = decodeJwt(body.access_token!);
    const id = decodeJwt(body.id_token!);
    expect(access[ROLES_CLAIM]).toEqual(['staff']);
    expect(access['https://app.example.test/plan']).toEqual({ tier: 'gold' });
    expect(access['https://app.example.test/nickname']).toBeUndefined();
    expect(id[ROLES_CLAIM]).toEqual(['staff']);
    expect(id['https://app.example.test/nickname']).toBe('Alice');
    expect(id['https://app.example.test/plan']).toBeUndefined();
    expect(seen.at(-1)).toMatchObject({
      client: { clientId: 'grantflow-demo' },
      organization: undefined,
      accessToken: { audience: 'https://api.grantflow.local/appointments' },
    });
  });

  it('changes the access token scope, its permissions and the response scope alike', async () => {
    const { body } = await signInForTokens(customized.discovery, BOB);
    expect(body.scope).toBe('write:appointments');
    const access = decodeJwt(body.access_token!);
    expect(access.scope).toBe('write:appointments');
    expect(access.permissions).toEqual(['write:appointments']);
  });

  it('runs again on refresh', async () => {
    const { body } = await signInForTokens(customized.discovery, ALICE);
    const refreshed = await tokenRequest(customized.discovery, {
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token!,
    });
    expect(decodeJwt(refreshed.body.id_token!)[ROLES_CLAIM]).toEqual(['staff']);
    expect(decodeJwt(refreshed.body.access_token!)[ROLES_CLAIM]).toEqual(['staff']);
  });
});

const reserved = devIdpForFile({
  redirectUris: [REDIRECT_URI],
  customizeTokens: ({ accessToken }) => accessToken.setCustomClaim('sub', 'mallory'),
});

describe('customizeTokens and protocol claims', () => {
  it('may not overwrite a protocol claim: the token request fails instead', async () => {
    const { status, body } = await signInForTokens(reserved.discovery, ALICE);
    expect(status).toBe(500);
    expect(body.access_token).toBeUndefined();
  });
});
