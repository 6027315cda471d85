import vue from '@vitejs/plugin-vue';
import { packageTestConfig } from '../../scripts/vitest.shared.js';

export default packageTestConfig('vue', {
  plugins: [vue()],
  test: {
    environment: 'happy-dom',
    // A fresh happy-dom per file: files navigate the page (location, history) and mount apps on it.
    isolate: true,
    typecheck: { enabled: true, checker: 'vue-tsc' },
    // The app's origin in tests; the dev IdP started by the callback tests allows it for CORS.
    environmentOptions: { happyDOM: { url: 'http://app.test/' } },
  },
});
