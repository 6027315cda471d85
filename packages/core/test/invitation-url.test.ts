import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loginWithInvitation, parseInvitation } from '../src/invitation.js';

describe('parseInvitation', () => {
  it("reads Auth0's invitation link", () => {
    expect(
      parseInvitation('https://app.test/login?invitation=tkt&organization=org_1&organization_name=acme'),
    ).toEqual({ invitation: 'tkt', organization: 'org_1', organization_name: 'acme' });
    expect(parseInvitation('https://app.test/?invitation=tkt&organization=org_1')).toEqual({
      invitation: 'tkt',
      organization: 'org_1',
      organization_name: undefined,
    });
  });

  it.each([
    'https://app.test/login?organization=org_1',
    'https://app.test/login?invitation=tkt',
    'https://app.test/login?invitation=&organization=org_1',
    'https://app.test/login?invitation=a&invitation=b&organization=org_1',
    'not a url',
  ])('is undefined for %s', (url) => {
    expect(parseInvitation(url)).toBeUndefined();
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.string(), fc.webUrl({ withQueryParameters: true }), (junk, url) => {
        parseInvitation(junk);
        parseInvitation(url);
      }),
    );
  });
});

describe('loginWithInvitation', () => {
  it('starts the login with the invitation and its organization, keeping other options', async () => {
    const calls: unknown[] = [];
    const client = { loginWithRedirect: async (options: unknown) => void calls.push(options) };
    const url = 'https://app.test/login?invitation=tkt&organization=org_1&organization_name=acme';
    await expect(
      loginWithInvitation(client, url, { appState: 1, authorizationParams: { ui_locales: 'fr' } }),
    ).resolves.toBe(true);
    expect(calls).toEqual([
      { appState: 1, authorizationParams: { ui_locales: 'fr', invitation: 'tkt', organization: 'org_1' } },
    ]);
  });

  it('does nothing without an invitation', async () => {
    const calls: unknown[] = [];
    const client = { loginWithRedirect: async (options: unknown) => void calls.push(options) };
    await expect(loginWithInvitation(client, 'https://app.test/login')).resolves.toBe(false);
    expect(calls).toEqual([]);
  });
});
