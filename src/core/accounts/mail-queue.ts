import type { Mailer, MailMessage } from './mailer.js';

/**
 * One mail to send. `compose` runs in the worker, not in the request, so work that depends on
 * the account (looking it up, minting a token) is off the request path too and every request
 * does the same steps whatever the address; composing `undefined` sends nothing.
 */
export interface MailJob {
  /** Names the mail in failure reports, which never carry its body (it holds a live token). */
  purpose: string;
  compose(): Promise<MailMessage | undefined>;
}

/** A mail that could not be composed or sent: what it was for and why, never its content. */
export interface MailFailure {
  purpose: string;
  error: unknown;
}

/** Mails waiting at most; the mail limits keep a real queue far below it. */
const MAX_WAITING = 10_000;

/**
 * The in-process mail queue: a request enqueues and returns at once, one worker composes and
 * sends in order. A failure is reported (`onFailure`) and the worker goes on with the next
 * mail. Mail still waiting when the process crashes is lost; a clean stop waits for `drained()`.
 */
export class MailQueue {
  private readonly waiting: MailJob[] = [];
  private working: Promise<void> | undefined;

  constructor(
    private readonly transport: Mailer,
    private readonly onFailure: (failure: MailFailure) => void,
  ) {}

  /** Queues a mail; never waits for it and never throws. */
  enqueue(job: MailJob): void {
    if (this.waiting.length >= MAX_WAITING) {
      this.report(job.purpose, new Error('the mail queue is full'));
      return;
    }
    this.waiting.push(job);
    this.working ??= this.work();
  }

  /** Resolves once every mail queued so far (and any queued meanwhile) is sent or reported. */
  async drained(): Promise<void> {
    while (this.working) await this.working;
  }

  private async work(): Promise<void> {
    // Let the request that queued the first mail finish before any of the mail's work starts.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      for (let job = this.waiting.shift(); job; job = this.waiting.shift()) {
        try {
          const message = await job.compose();
          if (message) await this.transport.send(message);
        } catch (error) {
          this.report(job.purpose, error);
        }
      }
    } finally {
      // Runs in the same turn as the last empty shift(): no enqueue can fall in between.
      this.working = undefined;
    }
  }

  private report(purpose: string, error: unknown): void {
    try {
      this.onFailure({ purpose, error });
    } catch {
      // A broken reporter must not stop the worker (or throw into a request).
    }
  }
}
