import { describe, expect, it } from 'vitest';
import { consentList } from '../src/consent-scopes.js';
import { APPOINTMENT_SCOPE_DESCRIPTIONS, DEMO_USERS } from '../src/index.js';
import { TestBrowser } from './browser.js';
import { REDIRECT_URI, authorizeUrl, devIdpForFile, pkcePair } from './support.js';

const started = devIdpForFile({ redirectUris: [REDIRECT_URI] });
const bob = DEMO_USERS.find((user) => user.sub === 'bob')!;

describe('consentList', () => {
  const apis = { 'https://api.test': { scopes: ['a', 'b', 'c'], scopeDescriptions: { a: 'do A' } } };

  it('describes every requested scope, with words for those an API gave none', () => {
    const list = consentList(
      { oidcScopes: ['openid', 'phone'], oidcClaims: [], resourceScopes: { 'https://api.test': ['a', 'b'] } },
      ['a', 'b'],
      apis,
    );
    expect(list.asked).toEqual([
      { scope: 'openid', description: 'know who you are' },
      { scope: 'phone', description: 'read your phone information' },
      { scope: 'a', description: 'do A' },
      { scope: 'b', description: 'use b at https://api.test' },
    ]);
    expect(list.unavailable).toEqual([]);
  });

  it("lists apart what the user's permissions cannot grant, and nothing that was not requested", () => {
    const list = consentList(
      { oidcScopes: [], oidcClaims: [], resourceScopes: { 'https://api.test': ['a', 'c'] } },
      ['a'],
      apis,
    );
    expect(list.asked.map((item) => item.scope)).toEqual(['a']);
    expect(list.unavailable.map((item) => item.scope)).toEqual(['c']);
  });
});

describe('the consent page', () => {
  it('describes each scope it asks for and says which ones the account cannot be granted', async () => {
    const browser = new TestBrowser(started.idp.issuer);
    const request = authorizeUrl(started.discovery, pkcePair().challenge, {
      scope: 'openid email read:appointments admin:appointments',
    });
    const consent = await browser.submit(await browser.open(request), {
      email: bob.email,
      password: bob.password,
    });
    const html = consent.kind === 'page' ? consent.html : '';
    const [asked = '', unavailable = ''] = html.split('does not have these permissions');
    expect(asked).toContain(
      `<code>read:appointments</code>: ${APPOINTMENT_SCOPE_DESCRIPTIONS['read:appointments']}`,
    );
    expect(asked).toContain('<code>email</code>: see your email address');
    expect(asked).not.toContain('admin:appointments');
    expect(asked).not.toContain('write:appointments');
    expect(unavailable).toContain('<code>admin:appointments</code>: delete anyone&#39;s appointments');
  });
});
