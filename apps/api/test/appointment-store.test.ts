import { describe, expect, it } from 'vitest';
import { AppointmentStore, WELCOME_APPOINTMENT } from '../src/appointment-store.js';

const ISSUER = 'https://idp.test/';
const bob = { iss: ISSUER, sub: 'bob' };
const alice = { iss: ISSUER, sub: 'alice' };

describe('AppointmentStore', () => {
  it('starts each owner with the welcome appointment when given one, once', () => {
    const store = new AppointmentStore({ welcome: WELCOME_APPOINTMENT });
    const [first] = store.list(bob);
    expect(first).toMatchObject({ ...WELCOME_APPOINTMENT, owner: bob });
    expect(store.list(bob)).toEqual([first]);
    expect(store.remove(first!.id)).toBe(true);
    expect(store.list(bob)).toEqual([]);
    expect(store.list(alice)).toHaveLength(1);
  });

  it('starts owners empty without one', () => {
    const store = new AppointmentStore();
    expect(store.list(bob)).toEqual([]);
    store.add(bob, { title: 'x', startsAt: '2030-01-01T00:00:00Z' });
    expect(store.list(bob)).toHaveLength(1);
  });

  it('keeps the same sub of two issuers apart', () => {
    const store = new AppointmentStore();
    const other = { iss: 'https://other.test/', sub: 'bob' };
    store.add(bob, { title: 'x', startsAt: '2030-01-01T00:00:00Z' });
    expect(store.list(other)).toEqual([]);
    // Strings that a plain join of issuer and sub would make one key.
    store.add({ iss: 'a', sub: 'b:c' }, { title: 'y', startsAt: '2030-01-01T00:00:00Z' });
    expect(store.list({ iss: 'a:b', sub: 'c' })).toEqual([]);
  });
});
