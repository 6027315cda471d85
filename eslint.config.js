import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.turbo/**',
      '**/.dev-idp/**',
      '**/coverage/**',
      '**/test-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // core must stay framework- and runtime-agnostic: no framework, no Node built-ins, no browser globals
    // touched directly (they are injected, or read through globalThis behind a feature check).
    files: ['packages/core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['vue', 'vue/*', '@vue/*'], message: 'core knows no framework.' },
            { group: ['express', 'express/*'], message: 'core knows no framework.' },
            { group: ['node:*'], message: 'core runs in browsers too: no Node built-ins.' },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'window', message: 'core is SSR-safe: inject it or use globalThis behind a check.' },
        { name: 'document', message: 'core is SSR-safe: inject it or use globalThis behind a check.' },
        { name: 'process', message: 'core runs in browsers: no process.' },
      ],
    },
  },
  prettier,
);
