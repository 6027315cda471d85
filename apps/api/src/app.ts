import {
  claimIncludes,
  DPOP_ALGORITHMS,
  protectedResourceMetadata,
  requireAuth,
  type DpopOptions,
  type ReplayStore,
} from '@grantflow/express';
import cors from 'cors';
import express, { type Express, type RequestHandler } from 'express';
import { appointmentsRouter } from './appointments.js';
import { AppointmentStore, WELCOME_APPOINTMENT } from './appointment-store.js';
import type { ApiConfig, DpopConfig } from './config.js';
import { errorHandler, notFound } from './error-handler.js';
import { requireSubject } from './require-subject.js';

/** The scopes the appointments routes require. */
export const APPOINTMENT_SCOPES = ['read:appointments', 'write:appointments', 'admin:appointments'] as const;

/** The namespaced claim the demo IdP puts each user's roles in. */
export const ROLES_CLAIM = 'https://grantflow.local/roles';

export interface AppOptions extends Omit<ApiConfig, 'dpop'> {
  /** Default: DPoP allowed beside Bearer, as `DPOP_MODE` defaults to. */
  dpop?: DpopConfig;
  /** Default: an empty one in memory, seeding every new caller's list when `demoSeed` is set. */
  store?: AppointmentStore;
  /** Where accepted DPoP proofs are remembered; default: this process's memory. */
  replayStore?: ReplayStore;
}

function corsFor(origins: AppOptions['corsOrigins']) {
  return cors({
    origin: origins,
    methods: ['GET', 'POST', 'DELETE'],
    // Without DPoP here no browser could send a proof; without DPoP-Nonce it could not follow a nonce;
    // without Retry-After it could not say when to try again after a 503.
    allowedHeaders: ['Authorization', 'Content-Type', 'DPoP'],
    exposedHeaders: ['WWW-Authenticate', 'DPoP-Nonce', 'Retry-After'],
    maxAge: 600,
  });
}

/**
 * What RFC 9728 §2 lets a client know about DPoP before its first request: the proof algorithms
 * accepted (those `requireAuth` takes by default), and whether only DPoP-bound tokens are (an
 * omitted `dpop_bound_access_tokens_required` means false).
 */
const dpopMetadata = ({ mode }: DpopConfig) =>
  mode === 'off'
    ? {}
    : {
        dpopSigningAlgValuesSupported: [...DPOP_ALGORITHMS],
        dpopBoundAccessTokensRequired: mode === 'required',
      };

const isHttpUrl = (value: string): boolean =>
  URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol);

/**
 * The token check of every protected route. `errors: 'next'`: auth failures go through errorHandler,
 * which keeps their answer intact. Every route says or uses who the caller is, so a token without
 * `sub` (required by RFC 9068 §2.2) is refused too.
 */
function authentication(
  issuers: string[],
  audience: string,
  dpop: DpopOptions,
): [RequestHandler, RequestHandler] {
  const verify = requireAuth({
    issuers: issuers.map((url) => ({ issuerBaseURL: url })),
    audience,
    errors: 'next',
    env: {},
    dpop,
  });
  return [verify, requireSubject];
}

/** The appointments API; `src/server.ts` only reads the environment and listens. */
export function createApp({
  issuerBaseURL,
  audience,
  corsOrigins,
  dpop = { mode: 'allowed' },
  replayStore,
  demoSeed = false,
  store = new AppointmentStore(demoSeed ? { welcome: WELCOME_APPOINTMENT } : {}),
}: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Before auth, so preflights (which carry no token) are answered, and browsers may read the challenge.
  app.use(corsFor(corsOrigins));

  const issuers = issuerBaseURL.split(/\s+/).filter(Boolean);
  const authenticated = authentication(issuers, audience, {
    ...dpop,
    ...(replayStore ? { replayStore } : {}),
  });
  // RFC 9728: clients pointed at this API find its audience and issuer(s) here, and every challenge
  // below names this document in `resource_metadata`. Only an http(s) audience is a resource URL
  // with metadata of its own; an identifier such as Auth0's `my-api` or a `urn:` has none.
  if (isHttpUrl(audience)) {
    app.use(
      protectedResourceMetadata({
        resource: audience,
        authorizationServers: issuers,
        scopesSupported: [...APPOINTMENT_SCOPES],
        resourceName: 'grantflow appointments API',
        ...dpopMetadata(dpop),
      }),
    );
  }

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/api/public', (_req, res) => {
    res.json({ message: 'Public endpoint: no token needed.' });
  });

  app.get('/api/private', ...authenticated, (req, res) => {
    res.json({ sub: req.auth!.payload.sub, scopes: req.auth!.scopes });
  });
  // Roles come from the IdP's namespaced custom claim (an Auth0 Action; the dev IdP's customizeTokens).
  app.get('/api/staff', ...authenticated, claimIncludes(ROLES_CLAIM, 'staff'), (req, res) => {
    res.json({ message: 'Staff only: your token says you are staff.', sub: req.auth!.payload.sub });
  });
  app.use('/api/appointments', ...authenticated, appointmentsRouter(store));

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
