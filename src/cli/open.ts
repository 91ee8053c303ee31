import type { Command } from 'commander';
import { openPortcullis, type Portcullis } from '../runtime/open-portcullis.js';
import { loadCliConfig, type GlobalOptions } from './config.js';

/** Opens Portcullis for one command and always closes it. */
export async function withPortcullis<T>(
  command: Command,
  run: (portcullis: Portcullis) => Promise<T>,
): Promise<T> {
  const portcullis = await openPortcullis(loadCliConfig(command.optsWithGlobals<GlobalOptions>()), {
    signing: false,
  });
  try {
    return await run(portcullis);
  } finally {
    await portcullis.close();
  }
}

/** Bad usage (a required option missing): printed as one line on stderr, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
