// Portcullis as `portcullis serve` runs it (buildApp with docs, SQLite in WAL mode), but on a
// throw-away database under os.tmpdir(), logger off, and with one client_credentials client.
// Usage: node --import tsx bench/servers/portcullis.ts --alg ES256|RS256|EdDSA [--ablate a,b]
// (--ablate: what-if experiments, see ablate.ts; never part of a normal run)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { openPortcullis } from '../../src/runtime/open-portcullis.js';
import { buildApp } from '../../src/http/app.js';
import { createClient } from '../../src/core/clients/create-client.js';
import { announceReady, argument, exitWith, fail, freePort } from './lifecycle.js';
import { applyAblations, parseAblations } from './ablate.js';

const ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;
type Algorithm = (typeof ALGORITHMS)[number];

function isAlgorithm(value: string): value is Algorithm {
  return (ALGORITHMS as readonly string[]).includes(value);
}

const alg = argument('alg', 'ES256');
const storageDir = mkdtempSync(join(tmpdir(), 'portcullis-bench-'));
try {
  if (!isAlgorithm(alg)) throw new Error(`--alg must be one of ${ALGORITHMS.join(', ')}`);
  const port = await freePort();
  const config = parseConfig({
    host: '127.0.0.1',
    port,
    databaseUrl: `sqlite:${join(storageDir, 'portcullis.db')}`,
    storageDir,
    logLevel: 'silent',
    signingAlgorithm: alg,
  });
  const portcullis = await openPortcullis(config);
  const ablations = parseAblations(argument('ablate', ''));
  const app = await buildApp(portcullis.ctx, { logger: false });
  const { client, secret } = await createClient(portcullis.ctx, {
    kind: 'client_credentials',
    name: 'bench',
  });
  if (secret === null) throw new Error('a client_credentials client must have a secret');
  await applyAblations(portcullis.ctx, ablations);
  await app.listen({ host: '127.0.0.1', port });
  exitWith(async () => {
    await app.close();
    await portcullis.close();
    rmSync(storageDir, { recursive: true, force: true });
  });
  announceReady({
    url: `http://127.0.0.1:${port}`,
    clientId: client.id,
    clientSecret: secret,
    alg: portcullis.ctx.keys.signing.alg,
    database: portcullis.databaseLocation,
    ablations,
  });
} catch (error) {
  rmSync(storageDir, { recursive: true, force: true });
  fail(error);
}
