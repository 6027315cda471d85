import { libraryConfig } from '../../scripts/tsup.shared.js';

export default libraryConfig({
  entry: ['src/index.ts', 'src/scope.ts', 'src/internal.ts', 'src/dpop.ts'],
  // No module has side effects (package.json says so): a bare import of a shared chunk would only make
  // bundlers of apps warn that they ignore it.
  treeshake: { moduleSideEffects: false },
});
