import { hasInjectionContext, inject, type Ref } from 'vue';
import type { AuthClientLike } from './client.js';
import { authClientKey, authReadyKey, authStartingKey } from './keys.js';

export class MissingAuthPluginError extends Error {
  readonly code = 'missing_auth_plugin';
  override name = 'MissingAuthPluginError';
}

/** The client provided by the auth plugin; throws a clear error when it cannot be found. */
export function useAuthClient(): AuthClientLike {
  if (!hasInjectionContext()) {
    throw new MissingAuthPluginError(
      'useAuth() and its siblings must be called inside setup(), a router guard or app.runWithContext().',
    );
  }
  const client = inject(authClientKey, undefined);
  if (!client) {
    throw new MissingAuthPluginError(
      'No @grantflow/vue auth plugin found: call app.use(createAuth({ ... })) before mounting.',
    );
  }
  return client;
}

export function useAuthReady(): Promise<void> {
  return inject(authReadyKey, Promise.resolve());
}

/** Whether the plugin's start-up work is still running (absent without the plugin's `ready`). */
export function useAuthStarting(): Readonly<Ref<boolean>> | undefined {
  return inject(authStartingKey, undefined);
}
