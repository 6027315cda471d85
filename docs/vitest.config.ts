import vue from '@vitejs/plugin-vue';
import { packageTestConfig } from '../scripts/vitest.shared.js';

// The guides' test samples run as written (a component test and an API test against the dev IdP), and
// test/ mounts the package READMEs' components as a reader would copy them.
export default packageTestConfig('docs', {
  plugins: [vue()],
  // A fresh happy-dom per file, as vue's tests have: the component tests mount on its document.
  test: { include: ['samples/**/*.test.ts', 'test/**/*.test.ts'], isolate: true },
});
