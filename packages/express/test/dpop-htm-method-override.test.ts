import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import methodOverride from 'method-override';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAuth } from '../src/index.js';
import { close, EXPRESS_VERSIONS, listen } from './support/app.js';
import { makeProof, startBindingIssuer } from './support/dpop.js';
import { AUDIENCE } from './support/issuer.js';

// RFC 9449 §4.3: htm is the method of the HTTP request, the one the client sent and signed, not the
// one an app's method-override middleware rewrote it to.
describe.each(EXPRESS_VERSIONS)('htm behind method-override on %s', (_name, express) => {
  let binding: Awaited<ReturnType<typeof startBindingIssuer>>;
  let server: Server;

  beforeAll(async () => {
    binding = await startBindingIssuer();
    const { issuer } = binding;
    const app = express();
    app.use(methodOverride('X-HTTP-Method-Override'));
    app.delete(
      '/things/1',
      requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, env: {}, dpop: { mode: 'allowed' } }),
      (req, res) => {
        res.json({ method: req.method });
      },
    );
    server = await listen(app);
  });
  afterAll(async () => {
    await close(server);
    await binding.issuer.close();
  });

  const overridden = async (htm: string) => {
    const { key, token } = binding;
    return request(server)
      .post('/things/1')
      .set('X-HTTP-Method-Override', 'DELETE')
      .set('Authorization', `DPoP ${token}`)
      .set(
        'DPoP',
        await makeProof(key, {
          htm,
          htu: `http://127.0.0.1:${(server.address() as AddressInfo).port}/things/1`,
          accessToken: token,
        }),
      );
  };

  it('accepts a proof naming the method the client sent (POST), routed as DELETE', async () => {
    const res = await overridden('POST');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ method: 'DELETE' });
  });

  it('refuses a proof naming the overriding method instead', async () => {
    const res = await overridden('DELETE');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'invalid_dpop_proof', error_description: 'DPoP proof htm mismatch' });
  });
});
