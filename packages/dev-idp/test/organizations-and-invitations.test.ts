import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { signIn, type DevIdpOrganization } from '../src/index.js';
import {
  ALICE,
  BOB,
  REDIRECT_URI,
  authorizeUrl,
  devIdpForFile,
  pkcePair,
  signInForTokens,
  tokenRequest,
} from './support.js';

const ACME = { org_id: 'org_acmeclinic', org_name: 'acme-clinic' };
const ORGANIZATIONS: DevIdpOrganization[] = [
  {
    id: 'org_acmeclinic',
    name: 'acme-clinic',
    members: ['alice'],
    invitations: [{ id: 'ticket-bob', email: 'bob@example.com' }],
  },
  {
    id: 'org_northwing',
    name: 'North Wing',
    members: [],
    invitations: [{ id: 'ticket-nw', email: 'bob@example.com' }],
  },
];
const started = devIdpForFile({
  redirectUris: [REDIRECT_URI],
  organizations: ORGANIZATIONS,
  initiateLoginUri: 'https://app.example.test/login',
});

async function redirectFor(credentials: typeof ALICE, extra: Record<string, string>) {
  return signIn(authorizeUrl(started.discovery, pkcePair().challenge, extra), credentials);
}

describe('organizations', () => {
  it('puts org_id and org_name in the ID and access tokens of a member, and keeps them on refresh', async () => {
    const { body } = await signInForTokens(started.discovery, ALICE, { organization: 'org_acmeclinic' });
    expect(decodeJwt(body.id_token!)).toMatchObject(ACME);
    expect(decodeJwt(body.access_token!)).toMatchObject(ACME);

    const refreshed = await tokenRequest(started.discovery, {
      grant_type: 'refresh_token',
      refresh_token: body.refresh_token!,
    });
    expect(refreshed.status).toBe(200);
    expect(decodeJwt(refreshed.body.id_token!)).toMatchObject(ACME);
    expect(decodeJwt(refreshed.body.access_token!)).toMatchObject(ACME);
  });

  it('takes the organization by name, case-insensitively, as Auth0 does', async () => {
    const { body } = await signInForTokens(started.discovery, ALICE, { organization: 'ACME-Clinic' });
    expect(decodeJwt(body.id_token!)).toMatchObject(ACME);
  });

  it('leaves org claims out of a login without organization', async () => {
    const { body } = await signInForTokens(started.discovery, ALICE);
    expect(decodeJwt(body.id_token!).org_id).toBeUndefined();
    expect(decodeJwt(body.access_token!).org_id).toBeUndefined();
  });

  it('answers access_denied to a non-member, with the state', async () => {
    const redirect = await redirectFor(BOB, { organization: 'org_northwing', state: 'st-1' });
    expect(redirect.searchParams.get('error')).toBe('access_denied');
    expect(redirect.searchParams.get('state')).toBe('st-1');
    expect(redirect.searchParams.get('code')).toBeNull();
  });

  it('answers invalid_request to an unknown organization', async () => {
    const redirect = await redirectFor(ALICE, { organization: 'org_nowhere' });
    expect(redirect.searchParams.get('error')).toBe('invalid_request');
  });
});

describe('invitations', () => {
  it('lists an Auth0-style invitation link per invitation', () => {
    const links = started.idp.invitationLinks.map((link) => new URL(link));
    expect(links).toHaveLength(2);
    expect(`${links[0]!.origin}${links[0]!.pathname}`).toBe('https://app.example.test/login');
    expect(Object.fromEntries(links[0]!.searchParams)).toEqual({
      invitation: 'ticket-bob',
      organization: 'org_acmeclinic',
      organization_name: 'acme-clinic',
    });
  });

  it('lets the invitee in, and makes them a member', async () => {
    const invited = await signInForTokens(started.discovery, BOB, {
      organization: 'org_acmeclinic',
      invitation: 'ticket-bob',
    });
    expect(decodeJwt(invited.body.id_token!)).toMatchObject({ sub: 'bob', ...ACME });
    const again = await signInForTokens(started.discovery, BOB, { organization: 'org_acmeclinic' });
    expect(decodeJwt(again.body.id_token!)).toMatchObject(ACME);
  });

  it("refuses someone else's invitation with access_denied", async () => {
    const redirect = await redirectFor(ALICE, { organization: 'org_northwing', invitation: 'ticket-nw' });
    expect(redirect.searchParams.get('error')).toBe('access_denied');
  });

  it('refuses an unknown ticket, or one without its organization, with invalid_request', async () => {
    const unknown = await redirectFor(BOB, { organization: 'org_acmeclinic', invitation: 'nope' });
    expect(unknown.searchParams.get('error')).toBe('invalid_request');
    const alone = await redirectFor(BOB, { invitation: 'ticket-bob' });
    expect(alone.searchParams.get('error')).toBe('invalid_request');
  });
});
