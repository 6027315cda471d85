// Checked by `pnpm typecheck` and vitest's typecheck mode: the guards' argument forms, and the
// `statusCode` every AuthError carries beside `status`.
import { expectTypeOf } from 'vitest';
import {
  InvalidTokenError,
  requireAnyScope,
  requirePermissions,
  requireScopes,
  type AuthError,
} from '../src/index.js';

const scopes: readonly string[] = ['read:things'];
requireScopes('read:things', 'write:things');
requireScopes('read:things write:things');
requireScopes(['read:things', 'write:things']);
requireScopes(scopes);
requireAnyScope(scopes);
requirePermissions(['read:things']);
// @ts-expect-error one array only, on its own
requireScopes(['read:things'], 'write:things');
// @ts-expect-error scopes are strings
requireScopes(1);

const invalidToken = new InvalidTokenError('x');
expectTypeOf(invalidToken.statusCode).toEqualTypeOf(invalidToken.status);
expectTypeOf<AuthError['statusCode']>().toEqualTypeOf<400 | 401 | 403 | 503>();
