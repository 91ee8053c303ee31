import { spawn } from 'node:child_process';
import { CLI, cleanEnv } from './cli.js';

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Keys as a terminal sends them. */
export const KEY = { enter: '\r', down: '\x1b[B', ctrlC: '\x03' } as const;

export interface PtySession {
  /** Output so far; `plain()` strips the escape sequences. */
  raw(): string;
  plain(): string;
  waitFor(pattern: RegExp): Promise<void>;
  type(keys: string): void;
  exited: Promise<number | null>;
}

/**
 * Runs the built CLI on a pseudo-terminal (util-linux `script`), so stdin and stdout are TTYs
 * as for a person at a terminal: prompts appear, colours are on.
 */
export function runCliOnPty(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): PtySession {
  const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`);
  // A pseudo-terminal made by `script` without a terminal of its own has no size; prompts
  // would wrap at every character.
  const command = `stty cols 120 rows 40; exec ${quoted.join(' ')}`;
  const env = cleanEnv({ TERM: 'xterm-256color', ...options.env });
  if (!options.env?.NO_COLOR) delete env.NO_COLOR;
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: options.cwd,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const plain = () => output.replace(ANSI, '');
  return {
    raw: () => output,
    plain,
    exited,
    type: (keys) => void child.stdin.write(keys),
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const timer = setInterval(() => {
          if (pattern.test(plain())) {
            clearInterval(timer);
            resolve();
          } else if (Date.now() - started > 15_000) {
            clearInterval(timer);
            child.kill();
            reject(new Error(`no ${pattern} after 15 s:\n${plain()}`));
          }
        }, 25);
      }),
  };
}
