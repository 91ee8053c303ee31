import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { READY_PREFIX, type ReadyInfo } from './servers/lifecycle.js';

export interface ServerChild {
  name: string;
  pid: number | undefined;
  info: ReadyInfo;
  /** Last lines the child wrote on stderr (warnings, errors), for diagnostics. */
  stderrTail(): string;
  /** True once the child has exited. */
  exited(): boolean;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  /** Script path relative to `cwd`. */
  script: string;
  args?: string[];
  cwd: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  readyTimeoutMs?: number;
}

const live = new Set<ChildProcess>();
const STDERR_TAIL_BYTES = 8 * 1024;

/**
 * Starts a server script in its own Node process (`node --import tsx script`), so the load
 * generator and the server never share an event loop, and waits for its ready line.
 */
export async function startServerChild(options: StartOptions): Promise<ServerChild> {
  const child = spawn(
    process.execPath,
    [...(options.nodeFlags ?? []), '--import', 'tsx', options.script, ...(options.args ?? [])],
    {
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  live.add(child);
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_TAIL_BYTES);
  });
  let hasExited = false;
  const exitedPromise = new Promise<void>((resolve) => {
    child.once('exit', () => {
      hasExited = true;
      live.delete(child);
      resolve();
    });
  });
  // stdin stays open: the child exits when it closes (i.e. when this process dies).
  child.stdin!.on('error', () => {});

  const info = await new Promise<ReadyInfo>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => {
      reject(
        new Error(`${options.name} did not start within ${options.readyTimeoutMs ?? 30_000} ms`),
      );
    }, options.readyTimeoutMs ?? 30_000);
    lines.on('line', (line) => {
      if (!line.startsWith(READY_PREFIX)) return;
      clearTimeout(timer);
      try {
        resolve(JSON.parse(line.slice(READY_PREFIX.length)) as ReadyInfo);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(
        new Error(
          `${options.name} exited before it was ready (code ${code}, signal ${signal})\n${stderr}`,
        ),
      );
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  }).catch(async (error: unknown) => {
    await kill(child, exitedPromise);
    throw error;
  });

  return {
    name: options.name,
    pid: child.pid,
    info,
    stderrTail: () => stderr,
    exited: () => hasExited,
    stop: () => kill(child, exitedPromise),
  };
}

/** SIGTERM (clean exit, so --cpu-prof can write its profile), then SIGKILL after 10 s. */
async function kill(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * On an interrupt: SIGTERM every child still running so it can remove its temp files, then
 * SIGKILL whatever is left after `graceMs`.
 */
export async function terminateAllChildren(graceMs = 3_000): Promise<void> {
  const running = [...live];
  const exits = running.map(
    (child) =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  const timer = new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref());
  await Promise.race([Promise.all(exits), timer]);
  killAllChildrenNow();
}

/** Last resort on an abnormal exit of the runner: SIGKILL every child still running. */
export function killAllChildrenNow(): void {
  for (const child of live) child.kill('SIGKILL');
}
