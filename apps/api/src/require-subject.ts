import { InvalidTokenError } from '@grantflow/express';
import type { RequestHandler } from 'express';

/**
 * Every route needs to know who the caller is: `/api/private` and `/api/staff` answer with the `sub`,
 * and appointments are keyed by issuer and `sub` (without one, a caller would share a single bucket
 * with every other such caller of its issuer). Refused as 401 invalid_token rather than 403
 * insufficient_scope: RFC 9068 §2.2 makes `sub` required in a JWT access token, so this is not a
 * valid access token for this API, and no added scope could fix it (403 would tell the client to
 * ask for more scope). Mounted after `requireAuth`, so `req.auth` is set.
 */
export const requireSubject: RequestHandler = (req, _res, next) => {
  const { sub } = req.auth!.payload;
  next(typeof sub === 'string' && sub !== '' ? undefined : new InvalidTokenError('Token has no subject'));
};
