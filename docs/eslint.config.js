import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';
import root from '../eslint.config.js';

// The root config plus the samples' single-file components; VitePress's cache is not ours.
export default tseslint.config(
  ...root,
  { ignores: ['.vitepress/cache/**'] },
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
    // vue-tsc checks the samples' names (`pnpm --filter @grantflow/docs test`).
    rules: { 'no-undef': 'off' },
  },
  prettier,
);
