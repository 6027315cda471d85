import { libraryConfig } from '../../scripts/tsup.shared.ts';

export default libraryConfig({ entry: ['src/index.ts', 'src/scope.ts', 'src/internal.ts', 'src/dpop.ts'] });
