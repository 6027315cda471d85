import { defineConfig } from 'vitest/config';

// `pnpm vitest` at the root runs every package's and app's tests together; each project keeps its
// own config (or vitest's defaults) so `pnpm --filter X test` runs the same tests alone.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*'],
  },
});
