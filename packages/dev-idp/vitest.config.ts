import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'dev-idp',
    include: ['test/**/*.test.ts'],
  },
});
