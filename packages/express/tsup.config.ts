import { libraryConfig } from '../../scripts/tsup.shared.ts';

export default libraryConfig();
