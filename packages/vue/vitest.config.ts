import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [vue()],
  test: {
    environment: 'happy-dom',
    // The app's origin in tests; the dev IdP started by the callback tests allows it for CORS.
    environmentOptions: { happyDOM: { url: 'http://app.test/' } },
    include: ['test/**/*.test.ts'],
  },
});
