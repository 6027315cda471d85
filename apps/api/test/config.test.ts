import { DEFAULT_AUDIENCE as DEV_IDP_AUDIENCE } from '@grantflow/dev-idp';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUDIENCE, loadConfig } from '../src/config.js';

describe('API configuration from the environment', () => {
  it('defaults to the local dev IdP, its appointments audience, port 3001 and the demo origin', () => {
    expect(loadConfig({})).toEqual({
      issuerBaseURL: 'http://localhost:4000/',
      audience: DEV_IDP_AUDIENCE,
      corsOrigins: ['http://localhost:5173'],
      port: 3001,
      dpop: { mode: 'allowed' },
      demoSeed: false,
    });
    expect(DEFAULT_AUDIENCE).toBe(DEV_IDP_AUDIENCE);
  });

  it('reads ISSUER_BASE_URL, AUDIENCE, PORT and a comma-separated CORS_ORIGINS', () => {
    expect(
      loadConfig({
        ISSUER_BASE_URL: 'https://idp.example',
        AUDIENCE: 'https://api.example',
        PORT: '8080',
        CORS_ORIGINS: 'https://a.example, https://b.example',
      }),
    ).toEqual({
      issuerBaseURL: 'https://idp.example',
      audience: 'https://api.example',
      corsOrigins: ['https://a.example', 'https://b.example'],
      port: 8080,
      dpop: { mode: 'allowed' },
      demoSeed: false,
    });
  });

  it('reads CORS_ORIGINS separated by commas, spaces or both, dropping one trailing slash', () => {
    const read = (value: string) => loadConfig({ CORS_ORIGINS: value }).corsOrigins;
    const both = ['http://a.example', 'https://b.example:8443'];
    expect(read('http://a.example,https://b.example:8443')).toEqual(both);
    expect(read('http://a.example https://b.example:8443')).toEqual(both);
    expect(read(' http://a.example ,\n\thttps://b.example:8443/, ')).toEqual(both);
    expect(read('http://[::1]:5173/')).toEqual(['http://[::1]:5173']);
  });

  it('reads CORS_ORIGINS=* as any origin, alone', () => {
    expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toBe('*');
    expect(loadConfig({ CORS_ORIGINS: ' * ' }).corsOrigins).toBe('*');
    expect(() => loadConfig({ CORS_ORIGINS: '*, http://a.example' })).toThrow(
      new TypeError('CORS_ORIGINS: * allows any origin; list no other with it.'),
    );
  });

  // A browser's Origin is scheme://host[:port], lower case, without the default port: any other
  // spelling would match no request, and the API would start but allow no origin.
  it.each([
    ['http://a.example/app', ' (did you mean http://a.example?)'],
    ['http://a.example//', ' (did you mean http://a.example?)'],
    ['HTTP://A.example', ' (did you mean http://a.example?)'],
    ['https://a.example:443', ' (did you mean https://a.example?)'],
    ['http://a.example?x=1', ' (did you mean http://a.example?)'],
    ['a.example', ''],
    ['null', ''],
    ['file:///tmp/app', ''],
    ['http://*.example', ' (no patterns: list each origin, or * alone for any)'],
    ['https://app-*.example:8443/', ' (no patterns: list each origin, or * alone for any)'],
  ])('refuses the CORS_ORIGINS entry %s, naming it', (entry, hint) => {
    expect(() => loadConfig({ CORS_ORIGINS: `http://ok.example,${entry}` })).toThrow(
      new TypeError(
        `CORS_ORIGINS must list origins such as https://app.example.com, got ${JSON.stringify(entry)}${hint}.`,
      ),
    );
  });

  it('refuses a CORS_ORIGINS of separators only', () => {
    expect(() => loadConfig({ CORS_ORIGINS: ' , ' })).toThrow(
      new TypeError('CORS_ORIGINS lists no origin, got " , ".'),
    );
  });

  it('reads DEMO_SEED: off unless 1', () => {
    expect(loadConfig({}).demoSeed).toBe(false);
    expect(loadConfig({ DEMO_SEED: '' }).demoSeed).toBe(false);
    expect(loadConfig({ DEMO_SEED: '0' }).demoSeed).toBe(false);
    expect(loadConfig({ DEMO_SEED: '1' }).demoSeed).toBe(true);
    expect(() => loadConfig({ DEMO_SEED: 'yes' })).toThrow(
      new TypeError('DEMO_SEED must be 0 or 1, got "yes".'),
    );
  });

  it('refuses a PORT that is not a port number', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT must be a port number/);
  });

  it('follows `pnpm dev` ports: API_PORT over PORT, IDP_PORT and DEMO_PORT for the defaults', () => {
    expect(loadConfig({ PORT: '9000', API_PORT: '3101', IDP_PORT: '4100', DEMO_PORT: '5273' })).toEqual({
      issuerBaseURL: 'http://localhost:4100/',
      audience: DEV_IDP_AUDIENCE,
      corsOrigins: ['http://localhost:5273'],
      port: 3101,
      dpop: { mode: 'allowed' },
      demoSeed: false,
    });
    expect(() => loadConfig({ API_PORT: '70000' })).toThrow(/API_PORT must be a port number/);
  });

  it('stays on 3001 when only the dev IdP moves (`PORT=4720 pnpm dev` hands the API IDP_PORT, not PORT)', () => {
    const config = loadConfig({ IDP_PORT: '4720' });
    expect(config.issuerBaseURL).toBe('http://localhost:4720/');
    expect(config.port).toBe(3001);
  });

  it('reads DPOP_MODE (default allowed), REDIS_URL, DPOP_NONCE_SECRET and PUBLIC_BASE_URL', () => {
    const config = loadConfig({
      DPOP_MODE: 'required',
      REDIS_URL: 'redis://127.0.0.1:6390',
      DPOP_NONCE_SECRET: 's'.repeat(32),
      PUBLIC_BASE_URL: 'https://api.example',
    });
    expect(config.dpop).toEqual({
      mode: 'required',
      nonceSecret: 's'.repeat(32),
      publicBaseURL: 'https://api.example',
    });
    expect(config.redisUrl).toBe('redis://127.0.0.1:6390');
    expect(loadConfig({ DPOP_MODE: 'off' }).dpop.mode).toBe('off');
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(() => loadConfig({ DPOP_MODE: 'yes' })).toThrow(/DPOP_MODE must be off, allowed or required/);
  });

  // requireAuth refuses it too, but only once the app is built: the environment's own check names the variable.
  it('refuses a DPOP_NONCE_SECRET shorter than 32 characters', () => {
    expect(() => loadConfig({ DPOP_NONCE_SECRET: 's'.repeat(31) })).toThrow(
      'DPOP_NONCE_SECRET must be at least 32 characters, got 31.',
    );
    expect(loadConfig({ DPOP_NONCE_SECRET: 's'.repeat(32) }).dpop.nonceSecret).toBe('s'.repeat(32));
  });
});
