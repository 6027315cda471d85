import { packageTestConfig } from '../../scripts/vitest.shared.js';

// Third-party SDKs, unchanged, in real Chromium against the real dev IdP and apps/api.
export default packageTestConfig('sdk-compat', {
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 60_000,
    maxWorkers: 2,
  },
});
