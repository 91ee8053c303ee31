import { readFileSync } from 'node:fs';

/** Linux USER_HZ: /proc counts CPU time in 1/100 s on every mainstream kernel build. */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system, all threads) of a process, or undefined off Linux. */
function processCpuSeconds(pid: number | 'self'): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields after it are space-separated.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the file, i.e. 11 and 12 after the name.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Busy CPU seconds of the whole machine (all cores), or undefined off Linux. */
function machineBusySeconds(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return (
      ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) /
      TICKS_PER_SECOND
    );
  } catch {
    return undefined;
  }
}

export interface CpuSnapshot {
  at: number;
  server?: number | undefined;
  runner?: number | undefined;
  machine?: number | undefined;
}

export interface CpuUse {
  /** CPU seconds the server process used (main thread, libuv pool, GC threads). */
  serverSeconds?: number;
  /** Cores' worth of CPU used by processes other than the server and this runner. */
  otherCores?: number;
}

export function snapshot(serverPid: number | undefined): CpuSnapshot {
  return {
    at: performance.now(),
    server: serverPid !== undefined ? processCpuSeconds(serverPid) : undefined,
    runner: processCpuSeconds('self'),
    machine: machineBusySeconds(),
  };
}

export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): CpuUse {
  const wall = (after.at - before.at) / 1000;
  const use: CpuUse = {};
  if (before.server !== undefined && after.server !== undefined) {
    use.serverSeconds = after.server - before.server;
  }
  if (
    use.serverSeconds !== undefined &&
    before.runner !== undefined &&
    after.runner !== undefined &&
    before.machine !== undefined &&
    after.machine !== undefined &&
    wall > 0
  ) {
    const others =
      after.machine - before.machine - use.serverSeconds - (after.runner - before.runner);
    use.otherCores = Math.max(0, others) / wall;
  }
  return use;
}
