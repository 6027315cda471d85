import { describe, expect, it } from 'vitest';
import { createMemoryReplayStore } from '../src/index.js';
import { createNonceSource } from '../src/dpop/nonces.js';

describe('stateless server nonces', () => {
  const secret = 'x'.repeat(32);

  it('hands out one nonce per step and accepts the steps either side, from any instance with the secret', () => {
    let now = 1_000_000_000_000;
    const a = createNonceSource({ secret, step: 300, now: () => now });
    const b = createNonceSource({ secret, step: 300, now: () => now + 1000 });
    const nonce = a.current();
    expect(b.accepts(nonce)).toBe(true);
    now += 300_000;
    expect(a.current()).not.toBe(nonce);
    expect(a.accepts(nonce)).toBe(true);
    now += 300_000;
    expect(a.accepts(nonce)).toBe(false);
  });

  it('refuses nonces of another secret and non-strings', () => {
    const a = createNonceSource({ secret, step: 60 });
    const other = createNonceSource({ secret: 'y'.repeat(32), step: 60 });
    expect(a.accepts(other.current())).toBe(false);
    expect(a.accepts(undefined)).toBe(false);
    expect(a.accepts(42)).toBe(false);
  });
});

describe('in-memory replay store', () => {
  it('sets a key once until it expires', async () => {
    let now = 0;
    const store = createMemoryReplayStore({ now: () => now });
    expect(await store.setIfAbsent('k', 1000)).toBe(true);
    expect(await store.setIfAbsent('k', 1000)).toBe(false);
    now = 999;
    expect(await store.setIfAbsent('k', 1000)).toBe(false);
    now = 1000;
    expect(await store.setIfAbsent('k', 1000)).toBe(true);
  });

  it('tells apart keys that differ in one character anywhere, however long', async () => {
    const store = createMemoryReplayStore();
    const jti = 'a'.repeat(256);
    const keys = [
      `jkt:${jti}`,
      `jkt:${jti.slice(1)}b`,
      `jkt:b${jti.slice(1)}`,
      `jkT:${jti}`,
      `jkt:${'ā'.repeat(256)}`,
      `jkt:${'ā'.repeat(255)}ă`,
    ];
    for (const key of keys) expect(await store.setIfAbsent(key, 1000)).toBe(true);
    for (const key of keys) expect(await store.setIfAbsent(key, 1000)).toBe(false);
  });

  it('full between its once-a-second sweeps, drops the oldest expired keys to admit a new one', async () => {
    let now = 0;
    const store = createMemoryReplayStore({ max: 2, now: () => now });
    await store.setIfAbsent('a', 100);
    now = 50;
    await store.setIfAbsent('b', 5000);
    now = 200;
    expect(await store.setIfAbsent('c', 5000)).toBe(true);
    expect(await store.setIfAbsent('b', 5000)).toBe(false);
    await expect(store.setIfAbsent('d', 5000)).rejects.toThrow(/full/);
  });

  it('fails (so the request is refused) rather than forget a live key when full', async () => {
    let now = 0;
    const store = createMemoryReplayStore({ max: 2, now: () => now });
    await store.setIfAbsent('a', 5000);
    await store.setIfAbsent('b', 5000);
    await expect(store.setIfAbsent('c', 5000)).rejects.toThrow(/full/);
    expect(await store.setIfAbsent('a', 5000)).toBe(false);
    now = 5000;
    expect(await store.setIfAbsent('c', 5000)).toBe(true);
  });
});
