import { describe, expect, it } from 'vitest';
import { bannerText, idpStateDir } from '../dev-banner.js';

const settings = {
  demoUrl: 'http://localhost:5173/',
  issuer: 'http://localhost:4000/',
  apiUrl: 'http://localhost:3001',
};

describe('the pnpm dev banner', () => {
  it("names where the dev IdP keeps its sessions: DEV_IDP_DIR when set (relative to the IdP's package)", () => {
    expect(idpStateDir(undefined)).toBe('packages/dev-idp/.dev-idp');
    expect(idpStateDir('')).toBe('packages/dev-idp');
    expect(idpStateDir('state')).toBe('packages/dev-idp/state');
    expect(idpStateDir('/var/tmp/idp')).toBe('/var/tmp/idp');
    expect(bannerText({ ...settings, stateDir: '/var/tmp/idp' })).toContain(
      'sessions survive in /var/tmp/idp.',
    );
  });

  it('names the demo, the issuer, the API and every demo account', () => {
    const text = bannerText({ ...settings, stateDir: idpStateDir(undefined) });
    for (const part of [settings.demoUrl, settings.issuer, settings.apiUrl, 'alice@example.com']) {
      expect(text).toContain(part);
    }
  });
});
