import { parseWwwAuthenticate } from '@grantflow/core';
import { useAuthFetch } from '@grantflow/vue';
import { shallowRef } from 'vue';
import { config } from './config.js';

export interface Appointment {
  id: string;
  title: string;
  startsAt: string;
}

export interface NewAppointment {
  title: string;
  startsAt: string;
}

/** One API answer as the page shows it: the HTTP status and, on failure, the RFC 6750 error. */
export interface ApiExchange {
  method: string;
  path: string;
  status: number;
  error?: string;
  description?: string;
  /** What a 403 `insufficient_scope` challenge says the action needs (RFC 6750 §3: `scope`). */
  scope?: string;
  /** A 400's message per invalid field of the request (`{ fields: { title: '...' } }`). */
  fields?: Record<string, string>;
  /** Seconds a 503 asked to wait (`Retry-After` in delay-seconds). */
  retryAfter?: number;
  at: number;
}

/** The `scope` of the API's `insufficient_scope` challenge, whichever scheme (Bearer, DPoP) carries it. */
function requiredScope(response: Response): string | undefined {
  const challenges = parseWwwAuthenticate(response.headers.get('www-authenticate') ?? '');
  return challenges.find((c) => c.params.error === 'insufficient_scope')?.params.scope;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(readonly exchange: ApiExchange) {
    super(
      `${exchange.method} ${exchange.path} → ${exchange.status}${exchange.error ? ` ${exchange.error}` : ''}`,
    );
  }
}

/** The answer's `fields`, where each value is a message. */
function fieldsOf(data: unknown): Record<string, string> | undefined {
  const fields = (data as { fields?: unknown } | undefined)?.fields;
  if (typeof fields !== 'object' || fields === null) return undefined;
  const messages = Object.entries(fields).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string',
  );
  return messages.length > 0 ? Object.fromEntries(messages) : undefined;
}

function retryAfterOf(response: Response): number | undefined {
  const value = response.headers.get('retry-after')?.trim();
  return value && /^\d+$/.test(value) ? Number(value) : undefined;
}

async function readJson(response: Response): Promise<unknown> {
  return response.headers.get('content-type')?.includes('json') ? response.json() : undefined;
}

/** Calls apps/api with the signed-in user's access token; keeps a log of the exchanges for the page. */
export function useAppointmentsApi() {
  const authFetch = useAuthFetch();
  const log = shallowRef<ApiExchange[]>([]);

  async function call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await authFetch(`${config.apiUrl}${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const data = await readJson(response);
    const problem = response.ok
      ? undefined
      : (data as { error?: string; error_description?: string } | undefined);
    const exchange: ApiExchange = {
      method,
      path,
      status: response.status,
      error: problem?.error,
      description: problem?.error_description,
      scope: response.status === 403 ? requiredScope(response) : undefined,
      fields: response.status === 400 ? fieldsOf(data) : undefined,
      retryAfter: response.status === 503 ? retryAfterOf(response) : undefined,
      at: Date.now(),
    };
    log.value = [exchange, ...log.value].slice(0, 8);
    if (!response.ok) throw new ApiError(exchange);
    return data;
  }

  return {
    log,
    async list(): Promise<Appointment[]> {
      const data = await call('GET', '/api/appointments');
      return Array.isArray(data) ? data : ((data as { appointments?: Appointment[] }).appointments ?? []);
    },
    async create(input: NewAppointment): Promise<Appointment> {
      const data = await call('POST', '/api/appointments', input);
      return ((data as { appointment?: Appointment }).appointment ?? data) as Appointment;
    },
    async remove(id: string): Promise<void> {
      await call('DELETE', `/api/appointments/${encodeURIComponent(id)}`);
    },
  };
}
