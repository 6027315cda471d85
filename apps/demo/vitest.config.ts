import { defineConfig } from 'vitest/config';

// The demo's tests are the browser end-to-end tests: real dev IdP, real apps/api, real Vite, real Chromium.
export default defineConfig({
  test: {
    name: 'e2e',
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two browsers at most on a two-core machine.
    maxWorkers: 2,
  },
});
