import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests start real HTTP servers (issuer, dev IdP, apps); JWKS timeouts are part of what they pin.
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
