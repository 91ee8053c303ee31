// Summarises a V8 .cpuprofile (from `BENCH_CPU_PROF=dir npm run bench -- token-es256`):
// self time by package/area, top functions by self time, and inclusive time of the functions
// that make up a Portcullis token request.
// Usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Where a frame's code lives: a package, an area of src/, node internals, or a V8 pseudo-frame. */
function area(frame: CallFrame): string {
  const url = frame.url;
  if (!url) {
    if (frame.functionName.startsWith('(')) return frame.functionName; // (garbage collector) …
    return '(native)';
  }
  if (url.startsWith('node:')) {
    const parts = url.slice(5).split('/');
    return `node:${parts[0] === 'internal' && parts.length > 1 ? `internal/${parts[1]}` : parts[0]}`;
  }
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = path.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const rel = relative(ROOT, path);
  if (rel.startsWith('src/')) {
    const parts = rel.split('/');
    return parts.length > 3 ? parts.slice(0, 3).join('/') : parts.slice(0, 2).join('/');
  }
  return rel;
}

function label(frame: CallFrame): string {
  const url = frame.url.startsWith('file://')
    ? relative(ROOT, fileURLToPath(frame.url))
    : frame.url;
  const where = url ? ` ${url}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'}${where}`;
}

const HTTP_AREAS = new Set([
  'fastify',
  'find-my-way',
  'ajv',
  'fast-json-stringify',
  'light-my-request',
  'avvio',
  'fast-querystring',
  'secure-json-parse',
  'node:_http_server',
  'node:_http_common',
  'node:_http_incoming',
  'node:_http_outgoing',
  'node:net',
  'node:events',
  'node:stream',
  'node:internal/streams',
  'node:internal/stream_base_commons',
  'node:internal/http',
  'node:querystring',
  'node:internal/url',
  'node:internal/timers',
  'node:internal/async_hooks',
  'node:internal/process',
  'node:internal/net',
  'node:internal/stream_base_commons',
  'node:internal/validators',
  'node:diagnostics_channel',
  'node:buffer',
  'toad-cache',
  'fast-decode-uri-component',
  'fast-uri',
]);

/**
 * A coarse bucket for one sample, from its stack (leaf first). Native frames (no URL) are
 * charged to the nearest JavaScript caller; anything under module loading is start-up.
 */
function category(stack: CallFrame[]): string {
  if (
    stack.some(
      (f) =>
        f.url.includes('/node_modules/tsx/') ||
        f.url.startsWith('node:internal/modules') ||
        f.url.startsWith('node:internal/process/esm_loader'),
    )
  ) {
    return 'start-up (module loading, tsx)';
  }
  const leaf = stack[0]!;
  if (leaf.functionName === '(garbage collector)') return 'garbage collection';
  if (leaf.functionName === '(program)') return 'V8 (program, not attributed)';
  if (leaf.functionName === '(idle)') return '(idle)';
  const owner = stack.find((f) => f.url !== '') ?? leaf;
  const a = area(owner);
  if (a === 'kysely') {
    return owner.functionName === 'executeQuery' && owner.url.includes('sqlite-driver')
      ? 'SQLite execution (better-sqlite3 run/all, native)'
      : 'Kysely (query building/compiling, result handling)';
  }
  if (a === 'better-sqlite3') return 'SQLite statement prepare (no statement cache)';
  if (a === 'jose' || a === 'node:internal/crypto' || a === 'node:crypto' || a === 'ulid') {
    if (
      stack.some(
        (f) => f.url.includes('/jose/') || f.url.includes('/oidc-provider/lib/helpers/jwt'),
      )
    ) {
      return 'JWT signing (jose; WebCrypto call overhead on this thread)';
    }
    return 'crypto other (SHA-256 of secrets, random ids)';
  }
  if (HTTP_AREAS.has(a) || a.startsWith('@fastify/')) return 'HTTP (node:http + Fastify)';
  if (a.startsWith('src/')) return 'Portcullis code (src/)';
  if (a === 'oidc-provider' || a === 'koa' || a.startsWith('koa') || a === '@koa/router') {
    return 'oidc-provider + Koa';
  }
  return `other (${a})`;
}

/** Function names whose inclusive time is reported (each sample counted once per name). */
const WATCH = [
  'runPreParsingHooks',
  'handleRequest',
  'preValidationCallback',
  'validate',
  'serialize',
  'readClientCredentials',
  'authenticateClient',
  'handleTokenRequest',
  'clientCredentialsGrant',
  'resolveRequestedScopes',
  'issueTokenResponse',
  'issueAccessToken',
  'sign',
  'insert',
  'findById',
  'list',
  'executeQuery',
  'compileQuery',
  'introspectToken',
  'verifyAccessToken',
  'jwtVerify',
];

function pct(part: number, whole: number): string {
  return `${((100 * part) / whole).toFixed(1).padStart(5)}%`;
}

function main(): void {
  const file = process.argv[2];
  const top = Number(process.argv[3] ?? 25);
  if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);

  const selfByNode = new Map<number, number>();
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    if (byId.get(id)?.callFrame.functionName === '(idle)') idle += dt;
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + dt);
  });
  const busy = total - idle;

  const byCategory = new Map<string, number>();
  const stackOf = (id: number): CallFrame[] => {
    const frames: CallFrame[] = [];
    for (let cursor: number | undefined = id; cursor !== undefined; cursor = parent.get(cursor)) {
      frames.push(byId.get(cursor)!.callFrame);
    }
    return frames;
  };
  const selfByArea = new Map<string, number>();
  const selfByFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, time] of selfByNode) {
    const node = byId.get(id)!;
    const c = category(stackOf(id));
    byCategory.set(c, (byCategory.get(c) ?? 0) + time);
    const a = area(node.callFrame);
    selfByArea.set(a, (selfByArea.get(a) ?? 0) + time);
    const l = `${label(node.callFrame)}  [${a}]`;
    selfByFunction.set(l, (selfByFunction.get(l) ?? 0) + time);
    const seen = new Set<string>();
    for (let cursor: number | undefined = id; cursor !== undefined; cursor = parent.get(cursor)) {
      const frame = byId.get(cursor)!.callFrame;
      const name = frame.functionName;
      if (!WATCH.includes(name) || seen.has(name)) continue;
      seen.add(name);
      const key = `${name} (${area(frame)})`;
      inclusive.set(key, (inclusive.get(key) ?? 0) + time);
    }
  }

  const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(6)} ms`;
  process.stdout.write(
    `${file}\n  wall ${ms(total)}, idle ${ms(idle)}, busy ${ms(busy)} (percentages below are of busy time, main thread only)\n\n`,
  );
  const print = (title: string, entries: Map<string, number>, limit: number) => {
    process.stdout.write(`${title}\n`);
    const sorted = [...entries]
      .filter(([k]) => k !== '(idle)' && !k.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1]);
    for (const [key, time] of sorted.slice(0, limit)) {
      process.stdout.write(`  ${pct(time, busy)} ${ms(time)}  ${key}\n`);
    }
    process.stdout.write('\n');
  };
  const startup = byCategory.get('start-up (module loading, tsx)') ?? 0;
  process.stdout.write(
    `Busy time by category (start-up excluded from the percentages: ${ms(startup)})\n`,
  );
  for (const [key, time] of [...byCategory].sort((a, b) => b[1] - a[1])) {
    if (key === '(idle)' || key.startsWith('start-up')) continue;
    process.stdout.write(`  ${pct(time, busy - startup)} ${ms(time)}  ${key}\n`);
  }
  process.stdout.write('\n');
  print('Self time by area', selfByArea, 30);
  print(`Top ${top} functions by self time`, selfByFunction, top);
  print(
    'Inclusive time of watched functions (synchronous parts; async resumptions included)',
    inclusive,
    60,
  );
}

main();
