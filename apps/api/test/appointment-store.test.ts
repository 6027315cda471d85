import { describe, expect, it } from 'vitest';
import { AppointmentStore, WELCOME_APPOINTMENT } from '../src/appointment-store.js';

describe('AppointmentStore', () => {
  it('starts each owner with the welcome appointment when given one, once', () => {
    const store = new AppointmentStore({ welcome: WELCOME_APPOINTMENT });
    const [first] = store.list('bob');
    expect(first).toMatchObject({ ...WELCOME_APPOINTMENT, owner: 'bob' });
    expect(store.list('bob')).toEqual([first]);
    expect(store.remove(first!.id)).toBe(true);
    expect(store.list('bob')).toEqual([]);
    expect(store.list('alice')).toHaveLength(1);
  });

  it('starts owners empty without one', () => {
    const store = new AppointmentStore();
    expect(store.list('bob')).toEqual([]);
    store.add('bob', { title: 'x', startsAt: '2030-01-01T00:00:00Z' });
    expect(store.list('bob')).toHaveLength(1);
  });
});
