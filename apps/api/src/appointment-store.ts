import { randomUUID } from 'node:crypto';
import type { AppointmentInput } from './appointment-input.js';

export interface Appointment extends AppointmentInput {
  id: string;
  owner: string;
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

/** In-memory appointments, keyed by the owner's `sub`. */
export class AppointmentStore {
  readonly #byOwner = new Map<string, Appointment[]>();
  readonly #welcome: AppointmentInput | undefined;

  constructor({ welcome }: AppointmentStoreOptions = {}) {
    this.#welcome = welcome;
  }

  list(owner: string): Appointment[] {
    const appointments = this.#byOwner.get(owner);
    if (appointments !== undefined) return appointments;
    if (this.#welcome === undefined) return [];
    return [this.add(owner, this.#welcome)];
  }

  add(owner: string, input: AppointmentInput): Appointment {
    const appointment: Appointment = {
      id: randomUUID(),
      owner,
      createdAt: new Date().toISOString(),
      ...input,
    };
    this.#byOwner.set(owner, [...(this.#byOwner.get(owner) ?? []), appointment]);
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
