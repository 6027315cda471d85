import prettier from 'eslint-config-prettier';
import vue from 'eslint-plugin-vue';
import tseslint from 'typescript-eslint';
import root, { SMALL_MODULES } from '../../eslint.config.js';

// The root config plus single-file components (the root one lints only .ts).
export default tseslint.config(
  ...root,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
    // vue-tsc checks names; the browser globals are not declared to ESLint.
    rules: { 'no-undef': 'off' },
  },
  { files: ['src/**/*.{ts,vue}'], rules: SMALL_MODULES },
  prettier,
);
