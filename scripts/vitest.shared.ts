import { defineConfig, mergeConfig, type ViteUserConfig } from 'vitest/config';

/**
 * The test config every package and app shares. Integration tests start real servers (the dev IdP
 * generates RSA keys at start-up) while turbo runs other packages' builds and tests beside them on
 * two cores, so the time limits leave room for a loaded machine; they are not performance targets.
 * Each run also writes `test-results/vitest.json`, which `scripts/test-summary.mjs` adds up.
 */
export function packageTestConfig(name: string, overrides: ViteUserConfig = {}) {
  return mergeConfig(
    defineConfig({
      test: {
        name,
        include: ['test/**/*.test.ts'],
        // A worker runs its files one after another in one module graph, not a fresh one per file:
        // re-importing the packages (and the dev IdP) for each file was most of CI's test CPU (core:
        // 122 s isolated, 26 s not). Tests pass the world in rather than stub globals, and each file
        // closes the servers it starts and restores the env and timers it stubs. Suites on a shared
        // DOM (happy-dom: vue, docs) keep a fresh one per file.
        isolate: false,
        // Type tests (`*.test-d.ts`) run in vitest's typecheck mode; a package with some enables it. Its
        // tsconfig names only them: the package's `typecheck` task already checks the whole project, and
        // checking it twice, three packages at once, was a large part of CI's CPU.
        typecheck: { include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.type-tests.json' },
        // Tests that took 10-16 s in CI (integration, property runs over HTTP) keep four times that.
        testTimeout: 60_000,
        hookTimeout: 60_000,
        // expect.poll waits for what a browser, a server or another tab does: vitest's 1 s default is
        // less than one round trip can take on a loaded machine; a poll still ends once it passes.
        expect: { poll: { timeout: 15_000 } },
        reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
      },
    }),
    overrides,
  );
}
