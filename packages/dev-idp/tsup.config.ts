import { libraryConfig } from '../../scripts/tsup.shared.js';

export default libraryConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  // `pnpm dev` rebuilds in place: the demo app reads this package's dist while it starts.
  clean: !process.argv.includes('--watch'),
  // CommonJS too keeps the oidc-provider half in its own chunk, loaded on start (see src/runtime.ts).
  splitting: true,
});
