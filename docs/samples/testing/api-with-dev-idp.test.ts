import { DEFAULT_AUDIENCE, DEMO_USERS, issueTokens, startDevIdp, type DevIdp } from '@grantflow/dev-idp';
import { requireAuth, requireScopes } from '@grantflow/express';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';

let idp: DevIdp;
let api: ReturnType<express.Express['listen']>;
let apiUrl: string;

beforeAll(async () => {
  // A real OpenID Provider on a free port; tokens come from its real login and consent pages.
  idp = await startDevIdp({ port: 0, quiet: true });
  const app = express();
  app.use(requireAuth({ issuerBaseURL: idp.issuer, audience: DEFAULT_AUDIENCE }));
  app.get('/appointments', requireScopes('read:appointments'), (_req, res) => {
    res.json([]);
  });
  app.delete('/appointments/1', requireScopes('admin:appointments'), (_req, res) => {
    res.status(204).end();
  });
  api = app.listen(0);
  apiUrl = `http://localhost:${(api.address() as AddressInfo).port}`;
});
afterAll(async () => {
  api.close();
  await idp.close();
});

it('lets alice read and names the scope she lacks to delete', async () => {
  const alice = DEMO_USERS.find((user) => user.sub === 'alice')!;
  const { access_token } = await issueTokens(idp.issuer, alice);
  const headers = { authorization: `Bearer ${access_token}` };

  expect((await fetch(`${apiUrl}/appointments`, { headers })).status).toBe(200);
  const refused = await fetch(`${apiUrl}/appointments/1`, { method: 'DELETE', headers });
  expect(refused.status).toBe(403);
  expect(refused.headers.get('www-authenticate')).toContain('scope="admin:appointments"');
});
