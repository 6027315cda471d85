import { randomUUID } from 'node:crypto';
import type { AppointmentInput } from './appointment-input.js';

/**
 * Who owns an appointment: a `sub` is unique only within its issuer (OIDC Core §2, RFC 9068 §2.2),
 * so with several issuers the same `sub` may be two different users.
 */
export interface Owner {
  iss: string;
  sub: string;
}

export interface Appointment extends AppointmentInput {
  id: string;
  owner: Owner;
  createdAt: string;
}

/** The demo's first appointment for each user, so every user, read-only ones too, can try every action. */
export const WELCOME_APPOINTMENT: AppointmentInput = {
  title: 'Welcome check-up',
  startsAt: '2030-01-15T09:30:00.000Z',
};

export interface AppointmentStoreOptions {
  /** Added to each owner's list when it is first read. */
  welcome?: AppointmentInput;
}

// Unambiguous whatever the two strings contain (a plain join could make two owners one key).
const keyOf = ({ iss, sub }: Owner): string => JSON.stringify([iss, sub]);

/** In-memory appointments, keyed by the owner's issuer and `sub`. */
export class AppointmentStore {
  readonly #byOwner = new Map<string, Appointment[]>();
  readonly #welcome: AppointmentInput | undefined;

  constructor({ welcome }: AppointmentStoreOptions = {}) {
    this.#welcome = welcome;
  }

  list(owner: Owner): Appointment[] {
    const appointments = this.#byOwner.get(keyOf(owner));
    if (appointments !== undefined) return appointments;
    if (this.#welcome === undefined) return [];
    return [this.add(owner, this.#welcome)];
  }

  add(owner: Owner, input: AppointmentInput): Appointment {
    const appointment: Appointment = {
      id: randomUUID(),
      owner: { iss: owner.iss, sub: owner.sub },
      createdAt: new Date().toISOString(),
      ...input,
    };
    const key = keyOf(owner);
    this.#byOwner.set(key, [...(this.#byOwner.get(key) ?? []), appointment]);
    return appointment;
  }

  /** Removes an appointment whoever owns it (an admin action); false when there is none. */
  remove(id: string): boolean {
    for (const [owner, appointments] of this.#byOwner) {
      const kept = appointments.filter((a) => a.id !== id);
      if (kept.length !== appointments.length) {
        this.#byOwner.set(owner, kept);
        return true;
      }
    }
    return false;
  }
}
