import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// The build an app's bundler reads (turbo builds it before these tests run).
const DIST = join(import.meta.dirname, '..', 'dist');

describe('the built entries, as an app bundles them', () => {
  it.each(['index', 'scope', 'internal', 'dpop'])(
    '%s: no bundler warning (a bare import of a chunk, which sideEffects: false makes it ignore)',
    async (entry) => {
      const file = join(DIST, `${entry}.js`);
      expect(existsSync(file), `${file}: run the build first`).toBe(true);
      const result = await build({
        entryPoints: [file],
        bundle: true,
        format: 'esm',
        platform: 'browser',
        write: false,
        logLevel: 'silent',
      });
      expect(result.warnings.map((warning) => warning.text)).toEqual([]);
    },
  );
});
