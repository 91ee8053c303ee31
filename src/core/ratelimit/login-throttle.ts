import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { TriesInFlight } from './tries-in-flight.js';

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
   * Counts a try against every limit. Returns 0 when it may go ahead, and then `succeeded` or
   * `failed` must follow; otherwise the milliseconds to wait. A refused try counts nowhere, so
   * hammering one account from one address does not lock it everywhere.
   */
  reserve(attempt: LoginAttempt): Promise<number>;
  /** The try succeeded: clears the account+IP counter and gives back the other two points. */
  succeeded(attempt: LoginAttempt): Promise<void>;
  /** The try failed: its point stays spent. */
  failed(attempt: LoginAttempt): void;
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

export function createLoginThrottle(limiters: LoginLimiters): LoginThrottle {
  const keyed = (attempt: LoginAttempt): Array<[RateLimiterAbstract, string]> => [
    [limiters.pair, `${attempt.email}|${attempt.ip}`],
    [limiters.account, attempt.email],
    [limiters.ip, attempt.ip],
  ];
  const inFlight = new TriesInFlight();
  /** One point on every counter, all or nothing: the wait when any counter is full, else 0. */
  const consumeAll = async (attempt: LoginAttempt): Promise<number> => {
    const counters = keyed(attempt);
    let wait = 0;
    for (const [limiter, key] of counters) {
      try {
        await limiter.consume(key);
      } catch (rejection) {
        // rate-limiter-flexible rejects with a RateLimiterRes when the counter is full, and
        // with an Error when its store fails (which must not let the try through).
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        wait = Math.max(wait, rejection.msBeforeNext, 1);
      }
    }
    if (wait > 0) {
      for (const [limiter, key] of counters) await limiter.reward(key, 1);
    }
    return wait;
  };
  return {
    async reserve(attempt) {
      for (;;) {
        const wait = await consumeAll(attempt);
        if (wait === 0) {
          inFlight.begin(attempt.email);
          return 0;
        }
        // Tries of this account still being checked here may give their points back.
        if (inFlight.held(attempt.email) === 0) return wait;
        await inFlight.nextSettle(attempt.email);
      }
    },
    async succeeded(attempt) {
      try {
        await limiters.pair.delete(`${attempt.email}|${attempt.ip}`);
        await limiters.account.reward(attempt.email, 1);
        await limiters.ip.reward(attempt.ip, 1);
      } finally {
        inFlight.settle(attempt.email);
      }
    },
    failed(attempt) {
      inFlight.settle(attempt.email);
    },
  };
}
