import { describe, expect, it } from 'vitest';
import { startDevIdp } from '../src/index.js';

const discoveryPath = '/.well-known/openid-configuration';

describe('listening', () => {
  it('answers on localhost, 127.0.0.1 and ::1 with the same port', async () => {
    const idp = await startDevIdp({ port: 0, quiet: true });
    try {
      for (const origin of [idp.issuer, `http://127.0.0.1:${idp.port}`, `http://[::1]:${idp.port}`]) {
        const response = await fetch(`${origin}${discoveryPath}`);
        expect(response.status).toBe(200);
        expect(((await response.json()) as { issuer: string }).issuer).toBe(idp.issuer);
      }
    } finally {
      await idp.close();
    }
  });

  it('uses a configured issuer, ending in a slash', async () => {
    const idp = await startDevIdp({ port: 0, quiet: true, issuer: 'http://127.0.0.1:1234' });
    try {
      expect(idp.issuer).toBe('http://127.0.0.1:1234/');
      const response = await fetch(`http://localhost:${idp.port}${discoveryPath}`);
      expect(((await response.json()) as { issuer: string }).issuer).toBe('http://127.0.0.1:1234/');
    } finally {
      await idp.close();
    }
  });

  it('closes although a client keeps its connection alive', async () => {
    const idp = await startDevIdp({ port: 0, quiet: true });
    const response = await fetch(`${idp.issuer}${discoveryPath}`, { headers: { connection: 'keep-alive' } });
    await response.text();
    await idp.close();
    await expect(fetch(`${idp.issuer}${discoveryPath}`)).rejects.toThrow();
  });
});
