// Mutation testing of core: `pnpm mutation` (see README, "Mutation testing"). Not run in CI.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  // Named, because pnpm keeps Stryker from scanning for its plugins beside itself.
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.config.ts' },
  mutate: ['src/**/*.ts', '!src/index.ts', '!src/internal.ts', '!src/internals.ts'],
  coverageAnalysis: 'perTest',
  // Only mutants whose code or covering tests changed since the last run are tested again.
  incremental: true,
  incrementalFile: 'reports/mutation/incremental.json',
  // The sandbox sits two levels below the repository root, as this package does, so the relative
  // paths in vitest.config.ts and tsconfig.json resolve there unchanged. Stryker would rewrite the
  // tsconfig's `extends` for a sandbox inside the package: it is given no tsconfig to rewrite.
  tempDirName: '../../.stryker-tmp',
  tsconfigFile: 'none',
  concurrency: 2,
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, reportTests: false },
  thresholds: { high: 95, low: 92, break: null },
};
