import { libraryConfig } from '../../scripts/tsup.shared.js';

// The Redis replay store has its own entry point, so Bearer-only apps never load it.
export default libraryConfig({ entry: ['src/index.ts', 'src/redis.ts'] });
