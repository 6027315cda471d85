import { defineConfig } from 'vitest/config';

// `pnpm vitest` at the root runs every package's unit and integration tests together (the browser
// suites, apps/demo and apps/sdk-compat, run on their own); each project keeps its own config so
// `pnpm --filter X test` runs the same tests alone.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', '!apps/demo', '!apps/sdk-compat'],
  },
});
