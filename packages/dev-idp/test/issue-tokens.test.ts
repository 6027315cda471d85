import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUDIENCE, DevIdpError, issueTokens } from '../src/index.js';
import { ALICE, BOB, devIdpForFile } from './support.js';

const dev = devIdpForFile();

describe('issueTokens', () => {
  it("gives a real login's tokens: an API access token capped by the user's permissions, ID and refresh tokens", async () => {
    const alice = await issueTokens(dev.idp.issuer, ALICE);
    expect(alice.token_type).toMatch(/^bearer$/i);
    expect(typeof alice.refresh_token).toBe('string');
    expect(decodeJwt(alice.id_token!)).toMatchObject({ sub: 'alice', email: 'alice@example.com' });
    expect(decodeJwt(alice.access_token)).toMatchObject({
      iss: dev.idp.issuer,
      aud: DEFAULT_AUDIENCE,
      sub: 'alice',
      scope: 'read:appointments write:appointments',
    });

    const bob = await issueTokens(dev.idp.issuer, BOB, {
      scope: 'openid write:appointments read:appointments',
    });
    expect(bob.refresh_token).toBeUndefined();
    expect(decodeJwt(bob.access_token).scope).toBe('read:appointments');
  });

  it('fails with a typed error when the sign-in does not go through', async () => {
    const attempt = issueTokens(dev.idp.issuer, { email: ALICE.email, password: 'wrong' });
    await expect(attempt).rejects.toBeInstanceOf(DevIdpError);
    await expect(attempt).rejects.toMatchObject({ code: 'sign_in_failed' });
  });
});
