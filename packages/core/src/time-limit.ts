import type { Timers } from './environment.js';

/**
 * `task`'s outcome, or a rejection with `late()` once `ms` have passed, whichever comes first: bounded even
 * where `task` never settles (a custom fetch that ignores its abort signal, a custom transport). The timer
 * is cleared as soon as either happens.
 */
export function settleWithin<T>(
  task: Promise<T>,
  ms: number,
  timers: Pick<Timers, 'setTimeout' | 'clearTimeout'>,
  late: () => unknown,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = timers.setTimeout(() => reject(late()), ms);
    const settle =
      <A>(outcome: (value: A) => void) =>
      (value: A) => {
        timers.clearTimeout(timer);
        outcome(value);
      };
    task.then(settle(resolve), settle(reject));
  });
}
