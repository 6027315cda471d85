import { defineConfig, type Options } from 'tsup';

/**
 * The one build config every publishable package uses: ESM + CJS + types, so `exports`
 * can point each condition at its own declaration file (checked by publint and attw).
 */
export function libraryConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    // tsup's declaration build sets `baseUrl`, which TypeScript 6 flags as deprecated.
    dts: { compilerOptions: { ignoreDeprecations: '6.0' } },
    clean: true,
    sourcemap: true,
    target: 'es2022',
    treeshake: true,
    ...overrides,
  });
}
