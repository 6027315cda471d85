import { describe, expect, it } from 'vitest';
import { resolveEnvironment, type Runtime } from '../src/environment.js';

/** A runtime with only the given globals, handed to `resolveEnvironment` in place of `globalThis`. */
const runtime = (globals: Record<string, unknown>): Runtime => globals as Runtime;

const storage = () => ({}) as Storage;

describe("the environment's defaults", () => {
  it("are the runtime's sessionStorage and localStorage where it has them", () => {
    const [session, local] = [storage(), storage()];
    const environment = resolveEnvironment({}, runtime({ sessionStorage: session, localStorage: local }));
    expect(environment.sessionStorage).toBe(session);
    expect(environment.localStorage).toBe(local);
  });

  it("are the runtime's own document, location, window, history, locks, BroadcastChannel, crypto and indexedDB", () => {
    const globals = {
      document: {},
      location: {},
      window: {},
      history: {},
      navigator: { locks: {} },
      BroadcastChannel: class {},
      crypto: {},
      indexedDB: {},
    };
    const environment = resolveEnvironment({}, runtime(globals));
    const { navigator, ...same } = globals;
    for (const [name, value] of Object.entries(same)) {
      expect(environment[name as keyof typeof same], name).toBe(value);
    }
    expect(environment.locks).toBe(navigator.locks);
  });

  it('say framed inside a frame only (self is not top)', () => {
    const page = {};
    expect(resolveEnvironment({}, runtime({ self: page, top: page })).framed).toBe(false);
    expect(resolveEnvironment({}, runtime({ self: page, top: {} })).framed).toBe(true);
    expect(resolveEnvironment().framed).toBe(false);
    expect(resolveEnvironment({}, runtime({ top: {} })).framed).toBe(false);
  });

  it('give way to what is passed, even undefined', () => {
    const environment = resolveEnvironment(
      { sessionStorage: undefined, framed: true },
      runtime({ sessionStorage: storage() }),
    );
    expect(environment).toMatchObject({ sessionStorage: undefined, framed: true });
  });

  it('read from the runtime only the members not passed (a server gives them all and reads none)', () => {
    const read: string[] = [];
    const recording = new Proxy({}, { get: (_, name) => void read.push(String(name)) }) as Runtime;
    resolveEnvironment(
      {
        document: undefined,
        sessionStorage: undefined,
        localStorage: undefined,
        indexedDB: undefined,
        locks: undefined,
        framed: false,
      },
      recording,
    );
    expect(read.sort()).toEqual(['BroadcastChannel', 'crypto', 'history', 'location', 'window']);
  });
});
