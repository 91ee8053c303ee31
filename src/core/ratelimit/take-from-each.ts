import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** One counter a request is charged to: a limiter and the key it counts under. */
export interface Counter {
  limiter: RateLimiterAbstract;
  key: string;
}

/** Gives one point back to each counter. Best effort: a failure leaves it spent (stricter). */
export async function giveBack(counters: readonly Counter[]): Promise<void> {
  for (const { limiter, key } of counters) await limiter.reward(key, 1).catch(() => undefined);
}

/**
 * Takes one point from every counter, or from none. A full counter refuses before anything is
 * consumed, so a flood of refused requests never inflates the other counters; otherwise one
 * point from each, in order, stopping (and giving back) at the first refusal of a race.
 * @returns undefined when every point was taken; else the refusing counter and the milliseconds
 *   until it has room.
 * @throws the store's error when a counter cannot be read or written (never let through).
 */
export async function takeFromEach<C extends Counter>(
  counters: readonly C[],
): Promise<{ counter: C; wait: number } | undefined> {
  for (const counter of counters) {
    const state = await counter.limiter.get(counter.key);
    // A window that has ended no longer blocks, even before the store has dropped its count
    // (the memory store deletes on a timer; a clock that moved on must not wait for it).
    if (state && state.consumedPoints >= counter.limiter.points && state.msBeforeNext > 0)
      return { counter, wait: Math.max(state.msBeforeNext, 1) };
  }
  const taken: C[] = [];
  for (const counter of counters) {
    try {
      await counter.limiter.consume(counter.key);
      taken.push(counter);
    } catch (rejection) {
      // rate-limiter-flexible rejects with a RateLimiterRes when the counter is full, and
      // with an Error when its store fails (which must not let the request through).
      if (!(rejection instanceof RateLimiterRes)) {
        await giveBack(taken);
        throw rejection;
      }
      await giveBack([...taken, counter]);
      return { counter, wait: Math.max(rejection.msBeforeNext, 1) };
    }
  }
  return undefined;
}
