/** What a client may send to create an appointment. */
export interface AppointmentInput {
  title: string;
  startsAt: string;
  notes?: string;
}

export type FieldErrors = Partial<Record<keyof AppointmentInput | 'body', string>>;

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const FIELDS = new Set(['title', 'startsAt', 'notes']);

/** Checks an untrusted JSON body; returns the clean input or an error per field. */
export function parseAppointmentInput(
  body: unknown,
): { ok: true; value: AppointmentInput } | { ok: false; fields: FieldErrors } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, fields: { body: 'Must be a JSON object' } };
  }
  const { title, startsAt, notes } = body as Record<string, unknown>;
  const fields: FieldErrors = {};
  if (typeof title !== 'string' || title.trim() === '') fields.title = 'Required, a non-empty string';
  else if (title.length > 200) fields.title = 'At most 200 characters';
  if (typeof startsAt !== 'string' || !ISO_DATE_TIME.test(startsAt) || Number.isNaN(Date.parse(startsAt))) {
    fields.startsAt = 'Required, an ISO 8601 date-time with a time zone';
  }
  if (notes !== undefined && (typeof notes !== 'string' || notes.length > 2000)) {
    fields.notes = 'Optional, a string of at most 2000 characters';
  }
  const unknown = Object.keys(body).filter((key) => !FIELDS.has(key));
  if (unknown.length > 0) fields.body = `Unknown field(s): ${unknown.join(', ')}`;
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  return {
    ok: true,
    value: {
      title: (title as string).trim(),
      startsAt: new Date(startsAt as string).toISOString(),
      ...(notes === undefined ? {} : { notes: notes as string }),
    },
  };
}
