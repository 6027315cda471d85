import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INVITATION_PARAMS, parseInvitation } from '../src/invitation.js';

describe('the parameters of an invitation link (property)', () => {
  it("are what an invitation link adds: stripping them leaves the app's own URL, and no invitation", () => {
    const value = fc.string({ minLength: 1 });
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true }), value, value, value, (app, tkt, org, name) => {
        const own = [...new URL(app).searchParams].filter(([key]) => !INVITATION_PARAMS.includes(key));
        const link = new URL(app);
        link.search = new URLSearchParams(own).toString();
        const expected = link.href;
        link.searchParams.append('invitation', tkt);
        link.searchParams.append('organization', org);
        link.searchParams.append('organization_name', name);
        expect(parseInvitation(link)).toEqual({
          invitation: tkt,
          organization: org,
          organization_name: name,
        });
        for (const key of INVITATION_PARAMS) link.searchParams.delete(key);
        expect(link.href).toBe(expected);
        expect(parseInvitation(link)).toBeUndefined();
      }),
    );
  });
});
