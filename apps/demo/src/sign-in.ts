import { useAuth } from '@grantflow/vue';
import { ref, shallowRef } from 'vue';

/**
 * The sign-in buttons' action: the redirect starts with discovery, which fails when the IdP is
 * unreachable; the failure is kept for the button to show, never left unhandled.
 */
export function useSignIn() {
  const { loginWithRedirect } = useAuth();
  const error = shallowRef<unknown>();
  const pending = ref(false);

  async function signIn(returnTo: string): Promise<void> {
    error.value = undefined;
    pending.value = true;
    try {
      await loginWithRedirect({ appState: { returnTo } });
    } catch (failure) {
      error.value = failure;
    } finally {
      pending.value = false;
    }
  }

  return { signIn, error, pending };
}
