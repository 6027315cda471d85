import { DEFAULT_AUDIENCE as DEV_IDP_AUDIENCE } from '@grantflow/dev-idp';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUDIENCE, loadConfig } from '../src/config.ts';

describe('API configuration from the environment', () => {
  it('defaults to the local dev IdP, its appointments audience, port 3001 and the demo origin', () => {
    expect(loadConfig({})).toEqual({
      issuerBaseURL: 'http://localhost:4000/',
      audience: DEV_IDP_AUDIENCE,
      corsOrigins: ['http://localhost:5173'],
      port: 3001,
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
    });
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
    });
    expect(() => loadConfig({ API_PORT: '70000' })).toThrow(/API_PORT must be a port number/);
  });
});
