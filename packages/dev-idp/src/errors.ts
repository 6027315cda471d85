export type DevIdpErrorCode = 'invalid_config' | 'sign_in_failed';

/** The one error class of the dev IdP; `code` is stable so callers can `switch` on it. */
export class DevIdpError extends Error {
  override readonly name = 'DevIdpError';
  readonly code: DevIdpErrorCode;

  constructor(code: DevIdpErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A bad option or environment variable, refused at start-up instead of mid-flow. */
export function invalidConfig(message: string): DevIdpError {
  return new DevIdpError('invalid_config', message);
}
