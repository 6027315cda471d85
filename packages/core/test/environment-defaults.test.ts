import { describe, expect, it } from 'vitest';
import { resolveEnvironment } from '../src/environment.js';

/*
 * `resolveEnvironment` is the one module that reads the runtime's globals, so its defaults can only be
 * seen by giving the runtime those globals for a moment (Node has no Web Storage and no frames).
 */
function withGlobals<T>(globals: Record<string, unknown>, run: () => T): T {
  for (const [name, value] of Object.entries(globals)) {
    Object.defineProperty(globalThis, name, { configurable: true, value });
  }
  try {
    return run();
  } finally {
    for (const name of Object.keys(globals)) Reflect.deleteProperty(globalThis, name);
  }
}

const storage = () => ({}) as Storage;

describe("the environment's defaults", () => {
  it("are the runtime's sessionStorage and localStorage where it has them", () => {
    const [session, local] = [storage(), storage()];
    const environment = withGlobals({ sessionStorage: session, localStorage: local }, () =>
      resolveEnvironment(),
    );
    expect(environment.sessionStorage).toBe(session);
    expect(environment.localStorage).toBe(local);
  });

  it('say framed inside a frame only (self is not top)', () => {
    const page = {};
    expect(withGlobals({ self: page, top: page }, () => resolveEnvironment().framed)).toBe(false);
    expect(withGlobals({ self: page, top: {} }, () => resolveEnvironment().framed)).toBe(true);
    expect(resolveEnvironment().framed).toBe(false);
    expect(withGlobals({ top: {} }, () => resolveEnvironment().framed)).toBe(false);
  });

  it('give way to what is passed, even undefined', () => {
    const environment = withGlobals({ sessionStorage: storage() }, () =>
      resolveEnvironment({ sessionStorage: undefined, framed: true }),
    );
    expect(environment).toMatchObject({ sessionStorage: undefined, framed: true });
  });
});
