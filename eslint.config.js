import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

// What touches the world, which core reaches only through its `Environment` (environment.ts).
const WORLD = [
  'globalThis',
  'window',
  'self',
  'top',
  'document',
  'location',
  'history',
  'navigator',
  'BroadcastChannel',
  'sessionStorage',
  'localStorage',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'crypto',
  'fetch',
  'process',
];
const WORLD_MESSAGE = 'core reads the world only through its Environment (see src/environment.ts).';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.turbo/**',
      '**/.dev-idp/**',
      '**/coverage/**',
      '**/test-results/**',
      '**/.stryker-tmp/**',
      'packages/core/reports/**',
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
    // core must stay framework- and runtime-agnostic: no framework, no Node built-ins, and the world
    // (document, location, timers, locks, ...) only through the injected `Environment`.
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
      'no-restricted-globals': ['error', ...WORLD.map((name) => ({ name, message: WORLD_MESSAGE }))],
    },
  },
  {
    // The one module that reads the runtime's globals, to build the default `Environment`.
    files: ['packages/core/src/environment.ts'],
    rules: { 'no-restricted-globals': 'off' },
  },
  prettier,
);
