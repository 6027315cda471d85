import js from '@eslint/js';
import { builtinModules } from 'node:module';
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
  'addEventListener',
  'removeEventListener',
  'dispatchEvent',
  'postMessage',
  'open',
  'close',
  'opener',
  'parent',
  'frames',
  'indexedDB',
  'caches',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'setImmediate',
  'MessageChannel',
  'Worker',
  'XMLHttpRequest',
  'WebSocket',
  'EventSource',
  'performance',
];
const WORLD_MESSAGE = 'core reads the world only through its Environment (see src/environment.ts).';

const RELATIVE_WITHOUT_JS = String.raw`/^\.{1,2}\/(?!.*\.(m?js|cjs|vue|json|css)$)/`;
const RELATIVE_IMPORTS = [
  'ImportDeclaration',
  'ExportNamedDeclaration',
  'ExportAllDeclaration',
  'ImportExpression',
].map((node) => ({
  selector: `${node}[source.value=${RELATIVE_WITHOUT_JS}]`,
  message: 'Relative imports end in .js (the built file), or name the real .mjs/.cjs/.vue/.json/.css file.',
}));
// Node's built-ins are named with the `node:` scheme, so they never collide with a package of that name.
const BARE_BUILTIN = String.raw`/^(${builtinModules.filter((name) => /^[a-z][a-z0-9_]*$/.test(name)).join('|')})(\/.*)?$/`;
const BUILTIN_IMPORTS = [
  ...['ImportDeclaration', 'ExportNamedDeclaration', 'ExportAllDeclaration', 'ImportExpression'].map(
    (node) => `${node}[source.value=${BARE_BUILTIN}]`,
  ),
  `CallExpression[callee.name='require'] > Literal.arguments[value=${BARE_BUILTIN}]`,
].map((selector) => ({ selector, message: "Node's built-ins are imported as 'node:name'." }));
const IMPORT_STYLE = [...RELATIVE_IMPORTS, ...BUILTIN_IMPORTS];

// What core may not import, by message; `no-restricted-imports` does not see `import('…')`, so these
// selectors refuse the same modules there.
const NO_FRAMEWORK = 'core knows no framework.';
const NO_NODE = 'core runs in browsers too: no Node built-ins.';
const CORE_DYNAMIC_IMPORTS = [
  [String.raw`/^(vue|express)(\/|$)|^@vue\//`, NO_FRAMEWORK],
  [String.raw`/^node:/`, NO_NODE],
].map(([pattern, message]) => ({ selector: `ImportExpression[source.value=${pattern}]`, message }));

// Small files and small functions (issue 8), in physical lines as `wc -l` counts them. Exported for the apps with their own config, whose `files`
// patterns are relative to their own directory.
export const SMALL_MODULES = {
  'max-lines': ['error', { max: 250 }],
  'max-lines-per-function': ['error', { max: 60 }],
};

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
      // One import-specifier style: a relative import names the file as built (`./x.js`), which Node,
      // bundlers and TypeScript all resolve; `.mjs`, `.vue`, `.json` and `.css` files keep their own extension;
      // a Node built-in is named `node:x`.
      'no-restricted-syntax': ['error', ...IMPORT_STYLE],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // One concept per module, read in one sitting. Tests, benches and scripts are exempt; a declarative
    // configuration literal or a facade's object of methods may opt out inline, saying so.
    files: ['packages/*/src/**/*.{ts,vue}', 'apps/*/src/**/*.{ts,vue}'],
    rules: SMALL_MODULES,
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
            { group: ['vue', 'vue/*', '@vue/*'], message: NO_FRAMEWORK },
            { group: ['express', 'express/*'], message: NO_FRAMEWORK },
            { group: ['node:*'], message: NO_NODE },
          ],
        },
      ],
      // Replaces the repository-wide entries, so it repeats them.
      'no-restricted-syntax': ['error', ...IMPORT_STYLE, ...CORE_DYNAMIC_IMPORTS],
      'no-restricted-globals': ['error', ...WORLD.map((name) => ({ name, message: WORLD_MESSAGE }))],
    },
  },
  {
    // core's tests pass the world in as the client takes it (issue 8): no patched globals, timers or clock.
    files: ['packages/core/test/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['useFakeTimers', 'setSystemTime'].map((property) => ({
          object: 'vi',
          property,
          message: 'Inject a virtual clock: manualTimers() in test/support.ts (now, timers, advance, set).',
        })),
        {
          object: 'vi',
          property: 'stubGlobal',
          message: "Pass the world in through the client's `environment` option instead.",
        },
      ],
    },
  },
  {
    // The one module that reads the runtime's globals, to build the default `Environment`.
    files: ['packages/core/src/environment.ts'],
    rules: { 'no-restricted-globals': 'off' },
  },
  prettier,
);
