// Checked by `pnpm typecheck`: importing the package types `req.auth` through declaration merging.
import type { Request } from 'express';
import { expectTypeOf } from 'vitest';
import type { AuthResult } from '../src/index.js';

declare const req: Request;

expectTypeOf(req.auth).toEqualTypeOf<AuthResult | undefined>();
expectTypeOf(req.auth!.scopes).toEqualTypeOf<readonly string[]>();
expectTypeOf(req.auth!.permissions).toEqualTypeOf<readonly string[]>();
expectTypeOf(req.auth!.token).toEqualTypeOf<string>();
expectTypeOf(req.auth!.payload.sub).toEqualTypeOf<string | undefined>();
expectTypeOf(req.auth!.header.alg).toEqualTypeOf<string | undefined>();
