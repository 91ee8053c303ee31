import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does)`);
}

/** Environment without the developer's PORTCULLIS_/OAUTH2_/DATABASE_URL settings. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(PORTCULLIS_|OAUTH2_|DATABASE_URL|REDIS_URL|PORT$|HOST$|ISSUER_URL)/.test(k)) env[k] = v;
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

/** Runs the built CLI to completion (no TTY, no stdin). */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string> }) {
  assertBuilt();
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the built CLI and resolves once stdout contains `ready`. */
export async function startCli(
  args: string[],
  options: { cwd: string; env?: Record<string, string>; ready: RegExp },
): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
  assertBuilt();
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: cleanEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.ready.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ready:\n${output}`));
    });
  });
  return { child, output: () => output, exited };
}
