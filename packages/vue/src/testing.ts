import { createAuth, type AuthPlugin } from './plugin.js';
import { TestingAuthClient, type TestingAuthOptions } from './testing-client.js';

export {
  TEST_USER,
  TestingAuthClient,
  type TestingAuthOptions,
  type TestingAuthState,
} from './testing-client.js';

export interface TestingAuthPlugin extends AuthPlugin {
  readonly client: TestingAuthClient;
}

/**
 * The auth plugin for component tests: `mount(Comp, { global: { plugins: [createTestingAuth()] } })`
 * renders for a signed-in `TEST_USER`; `createTestingAuth({ authenticated: false })` for a visitor.
 */
export function createTestingAuth(options: TestingAuthOptions = {}): TestingAuthPlugin {
  const client = new TestingAuthClient(options);
  // No start-up work: the state the test set is what the first render shows, `isLoading` included.
  return { ...createAuth(client, { checkSession: false }), client };
}
