import type { CoreContext } from '../context.js';
import { memoryLimiterFactory, type LimiterFactory } from './api-key-limits.js';
import { takeFromEach } from './take-from-each.js';

/** A request that would send mail: to whom, and from which client address. */
export interface MailRequest {
  /** Normalised email; counted whether or not an account uses it. */
  address: string;
  ip: string;
}

export interface MailLimitPolicy {
  mailsPerAddress: number;
  mailsPerIp: number;
  windowMinutes: number;
}

/**
 * Limits on the endpoints that send mail (registration, password reset requests, invitations),
 * per recipient address (nobody's mailbox is flooded) and per client address (nobody sprays
 * many mailboxes). Counted with rate-limiter-flexible: in memory, or Redis for every node.
 */
export interface MailLimiter {
  /** Charges one request to both counters. @returns 0 when it may go ahead, else ms to wait. */
  consume(request: MailRequest): Promise<number>;
}

export function createMailLimiter(
  policy: MailLimitPolicy,
  factory: LimiterFactory = memoryLimiterFactory,
): MailLimiter {
  const perSeconds = policy.windowMinutes * 60;
  const address = factory('mail_address', { requests: policy.mailsPerAddress, perSeconds });
  const ip = factory('mail_ip', { requests: policy.mailsPerIp, perSeconds });
  return {
    async consume(request) {
      const refused = await takeFromEach([
        { limiter: address, key: request.address },
        { limiter: ip, key: request.ip },
      ]);
      return refused?.wait ?? 0;
    },
  };
}

/** The public code of a refused mail request (docs/errors.md). */
export const MAIL_LIMIT_EXCEEDED = 'mail_limit_exceeded';

/**
 * Too many mail requests for this address or from this client: 429 with `Retry-After`. The
 * same whether an account uses the address or not, and it does not say which limit was hit.
 */
export class MailLimitExceededError extends Error {
  override name = 'MailLimitExceededError';
  readonly code = MAIL_LIMIT_EXCEEDED;
  constructor(readonly retryAfterSeconds: number) {
    super(
      `too many mail requests for this address or from this client; retry in ${retryAfterSeconds} seconds`,
    );
  }
}

/**
 * Admits a request that will send mail to `address`, charging the mail limits first, before
 * anything looks at whether an account uses the address.
 * @throws MailLimitExceededError when a limit is spent.
 */
export async function admitMail(ctx: CoreContext, request: MailRequest): Promise<void> {
  const wait = await ctx.mailLimiter.consume(request);
  if (wait > 0) throw new MailLimitExceededError(Math.ceil(wait / 1000));
}
