import { randomUUID } from 'node:crypto';
import type { AppointmentInput } from './appointment-input.js';

export interface Appointment extends AppointmentInput {
  id: string;
  owner: string;
  createdAt: string;
}

/** In-memory appointments, keyed by the owner's `sub`. */
export class AppointmentStore {
  readonly #byOwner = new Map<string, Appointment[]>();

  list(owner: string): Appointment[] {
    return this.#byOwner.get(owner) ?? [];
  }

  add(owner: string, input: AppointmentInput): Appointment {
    const appointment: Appointment = {
      id: randomUUID(),
      owner,
      createdAt: new Date().toISOString(),
      ...input,
    };
    this.#byOwner.set(owner, [...this.list(owner), appointment]);
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
