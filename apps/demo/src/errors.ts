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
  if (code !== undefined && UNREACHABLE.has(code)) {
    const plain = signedIn
      ? "Can't reach the sign-in service; you are still signed in."
      : "Can't reach the sign-in service. Try again in a moment.";
    return `${plain} (${technical})`;
  }
  return technical;
}
