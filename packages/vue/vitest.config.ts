import vue from '@vitejs/plugin-vue';
import { packageTestConfig } from '../../scripts/vitest.shared.js';

export default packageTestConfig('vue', {
  plugins: [vue()],
  test: {
    environment: 'happy-dom',
    // A fresh happy-dom per file: files navigate the page (location, history) and mount apps on it (one
    // page shared by the files of a worker failed in a shuffled order). In worker threads: a fresh thread
    // per file cost less CPU than a fresh process (91 s against 108 s for the suite).
    isolate: true,
    pool: 'threads',
    typecheck: { enabled: true, checker: 'vue-tsc' },
    // The app's origin in tests; the dev IdP started by the callback tests allows it for CORS.
    environmentOptions: { happyDOM: { url: 'http://app.test/' } },
  },
});
