import { packageTestConfig } from '../../scripts/vitest.shared.js';

// Many tests here run the CLI in child processes, a fresh Node each, against a real provider: up to 22 s
// per test was seen in CI with turbo running other packages' tests beside them.
export default packageTestConfig('node', { test: { testTimeout: 120_000 } });
