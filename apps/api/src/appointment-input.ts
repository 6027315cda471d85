/** What a client may send to create an appointment. */
export interface AppointmentInput {
  title: string;
  startsAt: string;
  notes?: string;
}

export type FieldErrors = Partial<Record<keyof AppointmentInput | 'body', string>>;

// Groups: date and time to the minute, seconds (with an optional fraction), the offset's hours and minutes.
const ISO_DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2}(?:\.\d{1,3})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;
const FIELDS = new Set(['title', 'startsAt', 'notes']);

/**
 * `Date.parse` rolls impossible fields over (February 30th becomes March 2nd, 04-31 May 1st, 24:00
 * the next day) instead of refusing them. The fields as written, read as UTC, must come back
 * unchanged; the offset is at most 23:59 (RFC 3339 §5.6).
 */
function startsAtError(value: unknown): string | undefined {
  const match = typeof value === 'string' ? ISO_DATE_TIME.exec(value) : null;
  if (!match) return 'Required, an ISO 8601 date-time with a time zone';
  const [, minute, second, offsetHours, offsetMinutes] = match;
  const fields = `${minute}${second?.slice(0, 3) ?? ':00'}`;
  const asUtc = Date.parse(`${fields}Z`);
  const offsetOk = offsetHours === undefined || (Number(offsetHours) <= 23 && Number(offsetMinutes) <= 59);
  const exists = !Number.isNaN(asUtc) && new Date(asUtc).toISOString().startsWith(fields) && offsetOk;
  return exists
    ? undefined
    : 'Not a date and time that exists (month 01-12, day of that month, time up to 23:59:59)';
}

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
  const startsAtProblem = startsAtError(startsAt);
  if (startsAtProblem !== undefined) fields.startsAt = startsAtProblem;
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
