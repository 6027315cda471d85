import { packageTestConfig } from '../../scripts/vitest.shared.js';

// Many tests here run the CLI in child processes, a fresh Node each, against a real provider: up to 22 s
// per test was seen in CI with turbo running other packages' tests beside them. One file at a time:
// those tests run the built `dist/cli.js`, which `pnpm grantflow` (root-grantflow-script.test.ts)
// rebuilds, so beside it they failed with "Cannot find module" (seen with two workers).
export default packageTestConfig('node', { test: { testTimeout: 120_000, fileParallelism: false } });
