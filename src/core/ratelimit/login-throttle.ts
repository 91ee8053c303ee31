import { RateLimiterMemory, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** One sign-in try: who it claims to be and where it comes from. */
export interface LoginAttempt {
  /** Normalised email (unknown emails are throttled exactly like known ones). */
  email: string;
  ip: string;
}

/**
 * Brute-force limits on password sign-in (login page and password grant). Failures are counted
 * per account+IP (a forgetful user), per account (a distributed guesser) and per IP (a sprayer);
 * any exhausted counter blocks until its window ends.
 */
export interface LoginThrottle {
  /** Milliseconds until a sign-in may be attempted; 0 when it may be attempted now. */
  wait(attempt: LoginAttempt): Promise<number>;
  failed(attempt: LoginAttempt): Promise<void>;
  /** A success clears the account+IP counter (not the others: they count attackers). */
  succeeded(attempt: LoginAttempt): Promise<void>;
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
  return {
    async wait(attempt) {
      let wait = 0;
      for (const [limiter, key] of keyed(attempt)) {
        const state = await limiter.get(key);
        if (state && state.consumedPoints >= limiter.points)
          wait = Math.max(wait, state.msBeforeNext);
      }
      return wait;
    },
    async failed(attempt) {
      for (const [limiter, key] of keyed(attempt)) {
        // A rejection only means the counter was already full: the failure is still counted.
        await limiter.consume(key).catch(() => undefined);
      }
    },
    async succeeded(attempt) {
      await limiters.pair.delete(`${attempt.email}|${attempt.ip}`);
    },
  };
}
