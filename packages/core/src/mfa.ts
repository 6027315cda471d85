import { OAuthError, type OAuthErrorFields } from './errors.js';

/** Auth0's step-up factors: what to enroll in or be challenged with (`type`: `otp`, `email`, ...). */
export interface MfaRequirements {
  enroll?: Array<{ type: string }>;
  challenge?: Array<{ type: string }>;
}

export interface MfaFields {
  mfa_token?: string | undefined;
  mfa_requirements?: MfaRequirements | undefined;
}

/**
 * The token endpoint wants a second factor first (Auth0's `mfa_required`, HTTP 403): `mfa_token` and
 * `mfa_requirements` carry on with Auth0's MFA API. The session stays.
 */
export class MfaRequiredError extends OAuthError implements MfaFields {
  override readonly code = 'mfa_required';
  override name = 'MfaRequiredError';
  declare readonly mfa_token: string | undefined;
  declare readonly mfa_requirements: MfaRequirements | undefined;
  constructor(fields: OAuthErrorFields, status: number, { mfa_token, mfa_requirements }: MfaFields = {}) {
    super(fields, status);
    Object.assign(this, { mfa_token, mfa_requirements });
  }
}
