// Checked by `pnpm typecheck` and vitest's typecheck: the memory store keeps its promise-typed answer
// while the `ReplayStore` interface also takes stores that answer a plain boolean.
import { expectTypeOf } from 'vitest';
import { createMemoryReplayStore, type ReplayStore } from '../src/index.js';

const store = createMemoryReplayStore();

expectTypeOf(store.setIfAbsent('key', 1000)).toEqualTypeOf<Promise<boolean>>();
expectTypeOf(store).toExtend<ReplayStore>();
// A caller chaining on the answer, as callers of the memory store did before plain booleans.
expectTypeOf(store.setIfAbsent('key', 1000).then((stored) => !stored)).toEqualTypeOf<Promise<boolean>>();
expectTypeOf<ReplayStore['setIfAbsent']>().returns.toEqualTypeOf<boolean | Promise<boolean>>();
