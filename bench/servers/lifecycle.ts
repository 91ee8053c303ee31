import { createServer } from 'node:net';

/** The line a server child prints on stdout once it accepts connections. */
export const READY_PREFIX = 'BENCH_READY ';

export interface ReadyInfo {
  /** Base URL, always http://127.0.0.1:<port>. */
  url: string;
  /** Free-form facts the runner needs (client credentials, signing algorithm, …). */
  [key: string]: unknown;
}

/** Tells the runner the server is up: one JSON line on stdout. */
export function announceReady(info: ReadyInfo): void {
  process.stdout.write(`${READY_PREFIX}${JSON.stringify(info)}\n`);
}

/**
 * Runs `cleanup` once and exits when the runner asks (SIGTERM/SIGINT) or disappears (stdin is
 * closed when the parent process dies, even by SIGKILL), so no server outlives a run. A clean
 * exit also lets `--cpu-prof` write its profile.
 */
export function exitWith(cleanup: () => Promise<void>): void {
  let exiting = false;
  const exit = (): void => {
    if (exiting) return;
    exiting = true;
    const hardStop = setTimeout(() => process.exit(1), 5_000);
    hardStop.unref();
    cleanup().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`cleanup failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', exit);
  process.once('SIGINT', exit);
  process.stdin.on('end', exit);
  process.stdin.on('error', exit);
  process.stdin.resume();
}

/** A port free on 127.0.0.1 right now (for servers whose config must know the port up front). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** `--name value` from argv, or the fallback. */
export function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? (process.argv[index + 1] ?? fallback) : fallback;
}

/** Writes an error and exits non-zero (start-up failures). */
export function fail(error: unknown): never {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
}
