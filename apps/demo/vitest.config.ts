import { packageTestConfig } from '../../scripts/vitest.shared.js';

// The demo's tests are the browser end-to-end tests (real dev IdP, real apps/api, real Vite, real
// Chromium), and a few of its own code under the shared `test/**` pattern.
export default packageTestConfig('e2e', {
  test: {
    // Added to the shared `test/**` pattern (the config merge joins the lists).
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    // A browser step (a page of the IdP, a redirect, a Vite page load) waits up to 30 s: several took
    // 5-10 s in CI with turbo running every package's tests at once.
    testTimeout: 120_000,
    // Two browsers at most on a two-core machine.
    maxWorkers: 2,
  },
});
