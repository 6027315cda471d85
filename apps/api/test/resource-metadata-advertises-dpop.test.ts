import { DPOP_ALGORITHMS } from '@grantflow/express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import type { DpopMode } from '../src/config.js';
import { startIssuer } from './support/issuer.js';

const AUDIENCE = 'https://api.example.test/appointments';
const METADATA = '/.well-known/oauth-protected-resource/appointments';

// RFC 9728 §2: `dpop_signing_alg_values_supported` tells a client which proofs the API takes, and
// `dpop_bound_access_tokens_required` (false when omitted) whether a Bearer token is refused.
describe('apps/api RFC 9728 metadata follows DPOP_MODE', () => {
  let issuer: Awaited<ReturnType<typeof startIssuer>>;

  beforeAll(async () => {
    issuer = await startIssuer(AUDIENCE);
  });
  afterAll(async () => {
    issuer.server.closeAllConnections();
    await new Promise((resolve) => issuer.server.close(resolve));
  });

  const metadata = async (mode: DpopMode) => {
    const app = createApp({ issuerBaseURL: issuer.url, audience: AUDIENCE, corsOrigins: [], dpop: { mode } });
    const res = await request(app).get(METADATA);
    expect(res.status).toBe(200);
    return res.body as Record<string, unknown>;
  };

  it('says DPoP-bound tokens are required, and which proof algorithms it accepts, when required', async () => {
    expect(await metadata('required')).toMatchObject({
      resource: AUDIENCE,
      dpop_bound_access_tokens_required: true,
      dpop_signing_alg_values_supported: [...DPOP_ALGORITHMS],
    });
  });

  it('lists the proof algorithms but does not require DPoP when allowed', async () => {
    const body = await metadata('allowed');
    expect(body.dpop_signing_alg_values_supported).toEqual([...DPOP_ALGORITHMS]);
    expect(body.dpop_bound_access_tokens_required ?? false).toBe(false);
  });

  it('advertises no DPoP when off', async () => {
    const body = await metadata('off');
    expect(body).not.toHaveProperty('dpop_signing_alg_values_supported');
    expect(body.dpop_bound_access_tokens_required ?? false).toBe(false);
  });
});
