import { ApiError, type ApiExchange } from './api.js';
import { explainError, type ErrorExplanation } from './errors.js';

/** How the appointment form names the fields the API reports (`body`: the request as a whole). */
const FIELD_LABELS: Record<string, string> = {
  title: 'Title',
  startsAt: 'Starts at',
  notes: 'Notes',
  body: 'Request',
};

const label = (field: string) => (Object.hasOwn(FIELD_LABELS, field) ? FIELD_LABELS[field] : field);

const withDescription = (description: string | undefined) => (description ? ` (${description})` : '');

function inWords(
  { status, error, description, scope, fields, retryAfter }: ApiExchange,
  signedIn: boolean,
): string {
  if (status === 400 && fields) {
    const problems = Object.entries(fields).map(([field, message]) => `${label(field)}: ${message}.`);
    return `The appointment was not saved. ${problems.join(' ')}`;
  }
  if (status === 401) {
    return `The API did not accept your access token (401${error ? ` ${error}` : ''}${description ? `: ${description}` : ''}). Sign in again if it keeps happening.`;
  }
  if (status === 403) {
    const needs = scope
      ? `the scope “${scope}”, which your access token does not have`
      : 'a scope your access token does not have';
    return `Forbidden (403): this action needs ${needs}${withDescription(description)}.`;
  }
  if (status === 404) return 'That appointment is not there any more. Reload the list.';
  if (status === 503) {
    const when = retryAfter === undefined ? 'in a moment' : `in ${retryAfter} s`;
    return `The appointments API is unavailable for a moment${signedIn ? '; you are still signed in' : ''}. Try again ${when}.`;
  }
  if (status >= 500) return `The appointments API ran into a problem (${status}). Try again in a moment.`;
  return `The appointments API refused the request (${status})${withDescription(description)}.`;
}

/**
 * The appointments page's failures in plain words: the API's answers, the API out of reach, and (a
 * token that could not be renewed) the core's errors, with the session still in place.
 */
export function explainAppointmentsError(error: unknown, { signedIn = false } = {}): ErrorExplanation {
  // fetch rejects with a bare TypeError when the API cannot be reached (down, CORS, offline).
  if (error instanceof TypeError && !('code' in error)) {
    return { words: "Can't reach the appointments API. Try again in a moment.", details: error.message };
  }
  if (!(error instanceof ApiError)) return explainError(error, { signedIn });
  const { description } = error.exchange;
  return {
    words: inWords(error.exchange, signedIn),
    details: `${error.message}${description ? `: ${description}` : ''}`,
  };
}
