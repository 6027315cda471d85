import { packageTestConfig } from '../../scripts/vitest.shared.js';

export default packageTestConfig('core', { test: { typecheck: { enabled: true } } });
