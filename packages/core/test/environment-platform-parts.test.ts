import { describe, expect, it } from 'vitest';
import { platformTimers, resolveEnvironment, type Runtime } from '../src/environment.js';

/** A runtime with only the given globals, handed to `resolveEnvironment` in place of `globalThis`. */
const runtime = (globals: Record<string, unknown>): Runtime => globals as Runtime;

const storage = () => ({}) as Storage;

describe("the environment's defaults, where the runtime lacks a part", () => {
  it("take Web Locks from the runtime's navigator, and none where there is no navigator (Node < 22, workers)", () => {
    const locks = { request: async () => undefined };
    expect(resolveEnvironment({}, runtime({ navigator: { locks } })).locks).toBe(locks);
    expect(resolveEnvironment({}, runtime({ navigator: {} })).locks).toBeUndefined();
    expect(resolveEnvironment({}, runtime({})).locks).toBeUndefined();
  });

  it('leave out Web Storage that throws when read (sandboxed frames, blocked storage)', () => {
    const local = storage();
    const blocked = Object.defineProperties(runtime({ localStorage: local }), {
      sessionStorage: {
        get() {
          throw new DOMException('blocked', 'SecurityError');
        },
      },
    });
    const environment = resolveEnvironment({}, blocked);
    expect(environment.sessionStorage).toBeUndefined();
    expect(environment.localStorage).toBe(local);
  });
});

describe('the platform timers', () => {
  const elapse = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('run what they are given, and cancel a timeout or an interval that is cleared', async () => {
    const ran: string[] = [];
    const kept = platformTimers.setTimeout(() => ran.push('kept timeout'), 1);
    const timeout = platformTimers.setTimeout(() => ran.push('cleared timeout'), 1);
    const interval = platformTimers.setInterval(() => ran.push('cleared interval'), 1);
    platformTimers.clearTimeout(timeout);
    platformTimers.clearInterval(interval);
    await elapse(30);
    expect(ran).toEqual(['kept timeout']);
    platformTimers.clearTimeout(kept);
  });
});
