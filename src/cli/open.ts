import type { Command } from 'commander';
import {
  openPortcullis,
  type OpenPortcullisOptions,
  type Portcullis,
} from '../runtime/open-portcullis.js';
import { loadCliConfig, type GlobalOptions } from './config.js';

/**
 * Opens Portcullis for one command and always closes it. Administration never loads or
 * registers a signing key of its own (that would retire the running servers' key).
 */
export async function withPortcullis<T>(
  command: Command,
  run: (portcullis: Portcullis) => Promise<T>,
  options: Omit<OpenPortcullisOptions, 'signing'> = {},
): Promise<T> {
  const portcullis = await openPortcullis(loadCliConfig(command.optsWithGlobals<GlobalOptions>()), {
    ...options,
    signing: false,
  });
  try {
    return await run(portcullis);
  } finally {
    await portcullis.close();
  }
}

/** Bad usage (a required option missing, a malformed value): one line on stderr, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parses a positive integer option, or fails as bad usage naming the option. */
export function positiveInteger(
  option: string,
  value: string | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new UsageError(`${option} must be a whole number, got "${value}"`);
  return n;
}
