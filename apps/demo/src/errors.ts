/** Failures that mean the sign-in service could not be reached, not that anything is wrong with you. */
const UNREACHABLE = new Set(['network_error', 'timeout']);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A readable line for any error the demo shows: plain words first where there are some, then the stable
 * `code` and the technical message for whoever debugs it.
 */
export function describeError(error: unknown, { signedIn = false } = {}): string {
  const code = codeOf(error);
  const technical =
    error instanceof Error ? (code ? `${code}: ${error.message}` : error.message) : String(error);
  const plain = code === undefined ? undefined : plainWords(code, signedIn);
  return plain ? `${plain} (${technical})` : technical;
}

function plainWords(code: string, signedIn: boolean): string | undefined {
  if (UNREACHABLE.has(code)) {
    return signedIn
      ? "Can't reach the sign-in service; you are still signed in."
      : "Can't reach the sign-in service. Try again in a moment.";
  }
  // A reloaded, bookmarked or replayed callback address: its sign-in is spent or was another tab's.
  if (code === 'state_mismatch' || code === 'missing_transaction') {
    return signedIn
      ? 'That sign-in link was already used or has expired; you are still signed in.'
      : 'That sign-in link was already used or has expired. Sign in again.';
  }
  if (code === 'popup_closed') return 'The sign-in window was closed before signing in finished.';
  return undefined;
}
