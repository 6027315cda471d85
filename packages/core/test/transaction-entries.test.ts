import { describe, expect, it } from 'vitest';
import { MissingTransactionError, StateMismatchError } from '../src/errors.js';
import { createTransactionStore, memoryStorage, resolveStorage } from '../src/storage.js';

describe('a stored login transaction', () => {
  it.each(['null', '0', '"text"', '{}'])(
    'that reads as %s is treated as missing and removed',
    async (raw) => {
      const storage = memoryStorage();
      storage.set('tx.s', raw);
      const store = createTransactionStore(storage, 'tx.', () => 0);
      await expect(store.take('s')).rejects.toBeInstanceOf(MissingTransactionError);
      expect(storage.get('tx.s')).toBeUndefined();
      await expect(store.take('s')).rejects.toBeInstanceOf(StateMismatchError);
    },
  );

  it('is found only under its own prefix', async () => {
    const storage = memoryStorage();
    const one = createTransactionStore(storage, 'one.', () => 0);
    const two = createTransactionStore(storage, 'two.', () => 0);
    storage.set('s', JSON.stringify({ expires_at: 1 }));
    await expect(one.take('s')).rejects.toBeInstanceOf(StateMismatchError);
    await one.save('s', { expires_at: 1 } as never);
    expect(JSON.parse((await storage.get('one.s'))!)).toEqual({ expires_at: 1 });
    await expect(two.take('s')).rejects.toBeInstanceOf(StateMismatchError);
    await expect(one.take('s')).resolves.toEqual({ expires_at: 1 });
  });
});

describe("the 'session' storage option", () => {
  it('keeps values in memory where there is no sessionStorage', () => {
    const storage = resolveStorage('session', { sessionStorage: undefined, localStorage: undefined });
    storage.set('k', 'v');
    expect(storage.get('k')).toBe('v');
    storage.remove('k');
    expect(storage.get('k')).toBeUndefined();
  });
});

describe('a refused transaction', () => {
  it('says whether the state is unknown or the login expired', async () => {
    const store = createTransactionStore(memoryStorage(), 'tx.', () => 10);
    await expect(store.take('s')).rejects.toThrow(new StateMismatchError('unknown state'));
    await store.save('s', { expires_at: 10 } as never);
    await expect(store.take('s')).rejects.toThrow(new MissingTransactionError('login expired'));
  });
});
