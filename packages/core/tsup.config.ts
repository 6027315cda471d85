import { libraryConfig } from '../../scripts/tsup.shared.js';

export default libraryConfig({ entry: ['src/index.ts', 'src/scope.ts', 'src/internal.ts', 'src/dpop.ts'] });
