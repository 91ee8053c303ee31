import { confirm, isCancel } from '@clack/prompts';
import { UsageError } from './open.js';

/** The user answered no (or pressed Ctrl-C) at a confirmation: nothing was changed. */
export class AbortedError extends Error {
  override name = 'AbortedError';
}

/** Prompts may only be shown when a person is at a terminal: never in CI, cron or a pipe. */
export const canPrompt = (): boolean =>
  process.stdin.isTTY === true && process.stdout.isTTY === true;

/**
 * Asks before a destructive change. With `--force` it goes ahead; without a terminal it refuses
 * (a script must say `--force`), so nothing ever waits on a prompt no one sees.
 * @throws UsageError without a terminal; AbortedError when the answer is no.
 */
export async function confirmDestructive(
  question: string,
  force: boolean | undefined,
): Promise<void> {
  if (force) return;
  if (!canPrompt()) {
    throw new UsageError(
      `${question.replace(/\?$/, '')}: refusing without --force (no terminal to confirm)`,
    );
  }
  const answer = await confirm({ message: question, initialValue: false });
  if (isCancel(answer) || answer !== true) throw new AbortedError('aborted: nothing was changed');
}
