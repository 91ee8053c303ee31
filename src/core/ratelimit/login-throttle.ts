import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { TriesInFlight } from './tries-in-flight.js';
import { giveBack, takeFromEach, type Counter } from './take-from-each.js';

/** One sign-in try: who it claims to be and where it comes from. */
export interface LoginAttempt {
  /** Normalised email (unknown emails are throttled exactly like known ones). */
  email: string;
  ip: string;
}

/**
 * Brute-force limits on password sign-in (login page and password grant). Tries are counted
 * per account+IP (a forgetful user), per account (a distributed guesser) and per IP (a sprayer);
 * any exhausted counter blocks until its window ends. A try is counted before its password is
 * checked, so a burst of parallel guesses cannot all slip past a counter that only failures
 * would update; a success gives its point back.
 */
export interface LoginThrottle {
  /**
   * Counts a try against every limit. Returns 0 when it may go ahead, and then exactly one of
   * `succeeded`, `failed` or `abandoned` must follow; otherwise the milliseconds to wait. A
   * refused try counts nowhere, so hammering one account from one address does not lock it
   * everywhere.
   */
  reserve(attempt: LoginAttempt): Promise<number>;
  /** The try succeeded: clears the account+IP counter and gives back the other two points. */
  succeeded(attempt: LoginAttempt): Promise<void>;
  /** The try failed: its point stays spent. */
  failed(attempt: LoginAttempt): void;
  /** The password could not be checked (a fault): the try counts nowhere. */
  abandoned(attempt: LoginAttempt): Promise<void>;
}

export interface LoginThrottlePolicy {
  attemptsPerAccountAndIp: number;
  attemptsPerAccount: number;
  attemptsPerIp: number;
  windowMinutes: number;
}

export interface LoginLimiters {
  pair: RateLimiterAbstract;
  account: RateLimiterAbstract;
  ip: RateLimiterAbstract;
}

/** In-process counters; the Redis-backed ones make the limits global across nodes. */
export function memoryLoginLimiters(policy: LoginThrottlePolicy): LoginLimiters {
  const duration = policy.windowMinutes * 60;
  return {
    pair: new RateLimiterMemory({
      keyPrefix: 'login_pair',
      points: policy.attemptsPerAccountAndIp,
      duration,
    }),
    account: new RateLimiterMemory({
      keyPrefix: 'login_account',
      points: policy.attemptsPerAccount,
      duration,
    }),
    ip: new RateLimiterMemory({ keyPrefix: 'login_ip', points: policy.attemptsPerIp, duration }),
  };
}

/** How long a try may queue behind tries of the same account still being checked. */
const MAX_QUEUE_MS = 3000;
/** Tries of one account queued in one process; more are refused at once. */
const MAX_QUEUED_PER_ACCOUNT = 50;

interface AttemptCounter extends Counter {
  /** Whether the account's own tries in flight can give a point back (not the IP counter). */
  ofAccount: boolean;
}

export function createLoginThrottle(limiters: LoginLimiters): LoginThrottle {
  const inFlight = new TriesInFlight();
  const counters = (attempt: LoginAttempt): AttemptCounter[] => [
    { limiter: limiters.pair, key: `${attempt.email}|${attempt.ip}`, ofAccount: true },
    { limiter: limiters.account, key: attempt.email, ofAccount: true },
    { limiter: limiters.ip, key: attempt.ip, ofAccount: false },
  ];
  const take = async (attempt: LoginAttempt): Promise<{ wait: number; ofAccount: boolean }> => {
    const refused = await takeFromEach(counters(attempt));
    return refused
      ? { wait: refused.wait, ofAccount: refused.counter.ofAccount }
      : { wait: 0, ofAccount: false };
  };

  return {
    async reserve(attempt) {
      // Wall time a request is held, not domain time: no injected clock.
      const started = performance.now();
      for (;;) {
        const { wait, ofAccount } = await take(attempt);
        if (wait === 0) {
          inFlight.begin(attempt.email);
          return 0;
        }
        // Only this account's tries in flight here can free a point of an account counter.
        const mayFree =
          ofAccount &&
          inFlight.held(attempt.email) > 0 &&
          inFlight.waiting(attempt.email) < MAX_QUEUED_PER_ACCOUNT &&
          performance.now() - started < MAX_QUEUE_MS;
        if (!mayFree) return wait;
        await inFlight.nextSettle(attempt.email);
      }
    },
    async succeeded(attempt) {
      await limiters.pair.delete(`${attempt.email}|${attempt.ip}`).catch(() => undefined);
      await giveBack(counters(attempt).slice(1));
      inFlight.settle(attempt.email);
    },
    failed(attempt) {
      inFlight.settle(attempt.email);
    },
    async abandoned(attempt) {
      await giveBack(counters(attempt));
      inFlight.settle(attempt.email);
    },
  };
}
