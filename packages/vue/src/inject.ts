import { hasInjectionContext, inject } from 'vue';
import type { AuthClient } from '@grantflow/core';
import { authAppStateKey, authClientKey, type AppAuthState } from './keys.js';

export class MissingAuthPluginError extends Error {
  readonly code = 'missing_auth_plugin';
  override name = 'MissingAuthPluginError';
}

function provided<T>(found: T | undefined): T {
  if (!found) {
    throw new MissingAuthPluginError(
      'No @grantflow/vue auth plugin found: call app.use(createAuth({ ... })) before mounting.',
    );
  }
  return found;
}

/** The client provided by the auth plugin; throws a clear error when it cannot be found. */
export function useAuthClient(): AuthClient {
  if (!hasInjectionContext()) {
    throw new MissingAuthPluginError(
      'useAuth() and its siblings must be called inside setup(), a router guard or app.runWithContext().',
    );
  }
  return provided(inject(authClientKey, undefined));
}

/** The plugin's state of this app; call after `useAuthClient()` (which checks the injection context). */
export function useAppAuthState(): AppAuthState {
  return provided(inject(authAppStateKey, undefined));
}
