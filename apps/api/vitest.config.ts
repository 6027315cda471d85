import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Route tests log in through a real dev IdP before they start.
    hookTimeout: 30_000,
  },
});
