import express from 'express';
import request from 'supertest';
import { requireAuth, type RequireAuthOptions } from '../../src/index.js';
import { close, listen, probeApp } from './app.js';
import { AUDIENCE, startTestIssuer } from './issuer.js';

/**
 * A test issuer and an Express 5 app whose `/probe` runs `requireAuth(options)` for it. `call` sends
 * a Bearer token there; `stop` closes both servers.
 */
export async function startProbeServer(options: Partial<RequireAuthOptions> = {}) {
  const idp = await startTestIssuer();
  const server = await listen(
    probeApp(express, requireAuth({ issuerBaseURL: idp.issuer, audience: AUDIENCE, env: {}, ...options })),
  );
  const call = (token: string) => request(server).get('/probe').set('Authorization', `Bearer ${token}`);
  const stop = async () => {
    await close(server);
    await idp.close();
  };
  return { idp, call, stop };
}
