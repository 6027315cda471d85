import { packageTestConfig } from '../../scripts/vitest.shared.js';

// Third-party SDKs, unchanged, in real Chromium against the real dev IdP and apps/api.
export default packageTestConfig('sdk-compat', {
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    // A browser step (a page of the IdP, a redirect, a Vite page load) waits up to 30 s: several took
    // 5-10 s in CI with turbo running every package's tests at once.
    testTimeout: 120_000,
    maxWorkers: 2,
  },
});
