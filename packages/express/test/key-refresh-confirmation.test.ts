import { describe, expect, it } from 'vitest';
import { InvalidTokenError } from '../src/errors.js';
import { startRefetch, startRefresh, type Route } from '../src/key-route.js';
import { UNKNOWN_KEY } from '../src/library-bridge.js';
import type { LibraryVerify } from '../src/library-bridge.js';
import type { ResolvedOptions } from '../src/options.js';

type Answer = Parameters<LibraryVerify>[1];

const options = { cooldownDuration: 1000, timeoutDuration: 1000, cacheMaxAge: 300 } as ResolvedOptions;
const lacksTheKey = () => new InvalidTokenError(UNKNOWN_KEY);

/** A route whose library instances answer when the test says: `answers[n]` is the n-th instance's. */
function routeWithPendingInstances() {
  const answers: Answer[] = [];
  const instances: LibraryVerify[] = [];
  const create = (): LibraryVerify => {
    const instance: LibraryVerify = (_token, done) => void answers.push(done);
    instances.push(instance);
    return instance;
  };
  const route = {
    create,
    verify: create(),
    held: 0,
    started: 0,
    refetching: undefined,
    refreshAt: 0,
    lacking: false,
    refetchedAt: -Infinity,
  } as unknown as Route;
  return { route, answers, instances };
}

describe('a refreshed key set lacking its token key is believed only when the next refresh confirms it', () => {
  it('the answer of a refresh superseded by newer held keys confirms nothing', () => {
    const { route, answers, instances } = routeWithPendingInstances();
    startRefresh(route, 'token', 0, options); // instance 1: hangs
    startRefresh(route, 'token', 2000, options); // instance 2
    answers[1]!(undefined); // instance 2 got the whole set
    expect(route.verify).toBe(instances[2]);
    answers[0]!(lacksTheKey()); // instance 1, late: it saw a set lacking the key
    expect(route.lacking).toBe(false);

    startRefresh(route, 'token', 10_000, options); // instance 3: one moment of an empty set
    answers[2]!(lacksTheKey());
    expect(route.verify).toBe(instances[2]);
  });

  it('keys a refetch holds start the count again', () => {
    const { route, answers, instances } = routeWithPendingInstances();
    startRefresh(route, 'token', 0, options); // instance 1: one moment of an empty set
    answers[0]!(lacksTheKey());
    expect(route.lacking).toBe(true);
    startRefetch(route, 10, options)('other', () => undefined); // instance 2: finds a new kid
    answers[1]!(undefined);
    expect(route.verify).toBe(instances[2]);

    startRefresh(route, 'token', 5000, options); // instance 3: another single moment
    answers[2]!(lacksTheKey());
    expect(route.verify).toBe(instances[2]);
  });
});
