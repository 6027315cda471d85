import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireAuth, type DpopOptions } from '../src/index.js';
import { close, listen } from './support/app.js';
import { dpopKey, makeProof, type DpopKey } from './support/dpop.js';
import { AUDIENCE, startTestIssuer, type TestIssuer } from './support/issuer.js';

// htu must name the URL the client used; which URL that is must never be taken from a bare Host header.
describe('the URL a proof must name (htu)', () => {
  let issuer: TestIssuer;
  let key: DpopKey;
  let token: string;
  const servers: Server[] = [];

  async function serve(dpop: DpopOptions, trustProxy?: boolean): Promise<Server> {
    const app = express();
    if (trustProxy) app.set('trust proxy', 'loopback');
    app.get(
      '/v1/probe',
      requireAuth({ issuerBaseURL: issuer.issuer, audience: AUDIENCE, env: {}, dpop }),
      (_req, res) => {
        res.json({ ok: true });
      },
    );
    const server = await listen(app);
    servers.push(server);
    return server;
  }

  beforeAll(async () => {
    issuer = await startTestIssuer();
    key = await dpopKey();
    token = await issuer.sign({ cnf: { jkt: key.jkt } });
  });
  afterAll(async () => {
    for (const server of servers) await close(server);
    await issuer.close();
  });

  const call = async (server: Server, htu: string, headers: Record<string, string> = {}) =>
    (
      await request(server)
        .get('/v1/probe?x=1')
        .set({
          Authorization: `DPoP ${token}`,
          DPoP: await makeProof(key, { htu, accessToken: token }),
          ...headers,
        })
    ).status;
  const port = (server: Server) => (server.address() as AddressInfo).port;

  it('by default: the address the connection came in on, or localhost with its port', async () => {
    const server = await serve({});
    expect(await call(server, `http://127.0.0.1:${port(server)}/v1/probe`)).toBe(200);
    expect(
      await call(server, `http://localhost:${port(server)}/v1/probe`, { Host: `localhost:${port(server)}` }),
    ).toBe(200);
  });

  it('by default: refuses a proof for another host even when the Host header names it', async () => {
    const server = await serve({});
    expect(await call(server, 'http://api.evil.example/v1/probe', { Host: 'api.evil.example' })).toBe(401);
    expect(
      await call(server, 'http://api.evil.example/v1/probe', { 'X-Forwarded-Host': 'api.evil.example' }),
    ).toBe(401);
  });

  it('with publicBaseURL: that origin and path prefix, whatever the Host', async () => {
    const server = await serve({ publicBaseURL: 'https://api.example.com/' });
    expect(await call(server, 'https://api.example.com/v1/probe')).toBe(200);
    expect(await call(server, 'https://api.example.com/v1/probe#frag')).toBe(200);
    expect(await call(server, `http://127.0.0.1:${port(server)}/v1/probe`)).toBe(401);
  });

  it('with publicBaseURL: every trailing slash of its path prefix dropped, the ones inside kept', async () => {
    const server = await serve({ publicBaseURL: 'https://api.example.com//gw///' });
    expect(await call(server, 'https://api.example.com//gw/v1/probe')).toBe(200);
    expect(await call(server, 'https://api.example.com//gw///v1/probe')).toBe(401);
  });

  it('with Express trust proxy: X-Forwarded-Proto and X-Forwarded-Host from a trusted proxy', async () => {
    const server = await serve({}, true);
    const forwarded = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'api.example.com' };
    expect(await call(server, 'https://api.example.com/v1/probe', forwarded)).toBe(200);
    expect(await call(server, 'http://api.example.com/v1/probe', forwarded)).toBe(401);
  });

  it('with Express trust proxy: refuses an X-Forwarded-Host that is more than host and port', async () => {
    const server = await serve({}, true);
    for (const host of [
      'api.example/evil',
      'user@api.example',
      'api.example?x',
      'api.example#x',
      'api.example\\x',
    ]) {
      const forwarded = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': host };
      expect(await call(server, `https://${host}/v1/probe`, forwarded)).toBe(401);
    }
    for (const host of ['api.example.com:8443', '[::1]:8443', '127.0.0.1']) {
      const forwarded = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': host };
      expect(await call(server, `https://${host}/v1/probe`, forwarded)).toBe(200);
    }
  });

  it('with Express trust proxy: an upper-case X-Forwarded-Proto (schemes are case-insensitive)', async () => {
    const server = await serve({}, true);
    const forwarded = { 'X-Forwarded-Proto': 'HTTPS', 'X-Forwarded-Host': 'api.example.com' };
    expect(await call(server, 'https://api.example.com/v1/probe', forwarded)).toBe(200);
    expect(await call(server, 'http://api.example.com/v1/probe', forwarded)).toBe(401);
  });

  // RFC 9112 §3.2.2: a server MUST accept an absolute-form request target (`GET http://host/path`),
  // whose authority then stands for the Host header: believed only where a Host header would be
  // (this server's own address), never over publicBaseURL, so another origin's proof cannot pass.
  async function sendAbsolute(server: Server, target: string, htu: string) {
    const headers = {
      Host: `127.0.0.1:${port(server)}`,
      Authorization: `DPoP ${token}`,
      DPoP: await makeProof(key, { htu, accessToken: token }),
    };
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      // A `path` that is a whole URL is sent as written: the absolute-form.
      const req = httpRequest({ host: '127.0.0.1', port: port(server), path: target, headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  it('accepts an absolute-form request target naming this server, its authority standing for Host', async () => {
    const server = await serve({});
    const url = `http://127.0.0.1:${port(server)}/v1/probe`;
    expect(await sendAbsolute(server, `${url}?x=1`, url)).toEqual({ status: 200, body: '{"ok":true}' });
    const local = `http://localhost:${port(server)}/v1/probe`;
    expect((await sendAbsolute(server, local, local)).status).toBe(200);
  });

  it('refuses an absolute-form request target naming another origin, whatever the Host header', async () => {
    const server = await serve({});
    const evil = 'http://api.evil.example/v1/probe';
    const res = await sendAbsolute(server, evil, evil);
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({
      error: 'invalid_dpop_proof',
      error_description: 'DPoP proof htu mismatch',
    });
    expect((await sendAbsolute(server, evil, `http://127.0.0.1:${port(server)}/v1/probe`)).status).toBe(401);
  });

  it('with publicBaseURL: takes only the path of an absolute-form target, never its authority', async () => {
    const server = await serve({ publicBaseURL: 'https://api.example.com' });
    const target = `http://127.0.0.1:${port(server)}/v1/probe`;
    expect((await sendAbsolute(server, target, 'https://api.example.com/v1/probe')).status).toBe(200);
    expect((await sendAbsolute(server, target, target)).status).toBe(401);
    const evil = 'http://api.evil.example/v1/probe';
    expect((await sendAbsolute(server, evil, evil)).status).toBe(401);
  });

  it('refuses every htu when the request URL does not parse, one that does not parse either', async () => {
    const server = await serve({}, true);
    const forwarded = { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'bad host' };
    expect(await call(server, 'urn:x:y', forwarded)).toBe(401);
    expect(await call(server, 'https://bad host/v1/probe', forwarded)).toBe(401);
  });
});
