import { useAuth } from '@grantflow/vue';
import { onScopeDispose, watch } from 'vue';

// Should a token live no longer than the leeway, renewals would follow each other without pause.
const MIN_DELAY_MS = 5000;

/**
 * Renews the access token as soon as the core stops handing the cached one out (`leeway` seconds before
 * it expires), so the session panel's countdown restarts on its own. Whether the token is still good is
 * judged by the core at call time, so a timer that fires late (a sleeping laptop) does no harm.
 */
export function useTokenRenewal(leewaySeconds: number) {
  const { accessTokenExpiresAt, getAccessToken } = useAuth();
  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(
    accessTokenExpiresAt,
    (expiresAt) => {
      clearTimeout(timer);
      if (expiresAt === undefined) return;
      const due = Math.max(expiresAt - leewaySeconds * 1000 - Date.now(), MIN_DELAY_MS);
      // A failure reaches the snapshot's `error` (the panel shows it); nothing else to do with it here.
      timer = setTimeout(() => void getAccessToken().catch(() => undefined), due + 250);
    },
    { immediate: true },
  );
  onScopeDispose(() => clearTimeout(timer));
}
