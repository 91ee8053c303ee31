import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiKeyUsageRecorder } from '../../src/core/apikeys/usage-recorder.js';
import type { ApiKeyUsageRepository } from '../../src/core/apikeys/api-key.js';
import { ManualClock } from '../../src/core/clock.js';

type Add = ApiKeyUsageRepository['add'];

/** A usage store that fails its first `failures` writes and records the rest. */
function flakyStore(failures: number) {
  const writes: Array<Parameters<Add>> = [];
  let left = failures;
  const repo = {
    async add(...args: Parameters<Add>) {
      if (left-- > 0) throw new Error('database unavailable');
      writes.push(args);
    },
  } as unknown as ApiKeyUsageRepository;
  return { repo, writes };
}

const HOUR = 3_600_000;

test('usage survives a failed write: the next flush writes it once per key and hour', async () => {
  const clock = new ManualClock(10 * HOUR + 5);
  const { repo, writes } = flakyStore(1);
  const usage = new ApiKeyUsageRecorder(repo, clock);
  usage.record('a');
  usage.record('a');
  usage.record('b');
  await assert.rejects(usage.flush(), /database unavailable/);
  usage.record('a');
  clock.advance(HOUR);
  usage.record('a');
  await usage.flush();
  assert.equal(writes.length, 1);
  const [counts, lastUsed] = writes[0]!;
  const sorted = [...counts].sort((x, y) => x.keyId.localeCompare(y.keyId) || x.hour - y.hour);
  // One row per key and hour: PostgreSQL refuses an upsert that names a row twice.
  assert.deepEqual(sorted, [
    { keyId: 'a', hour: 10 * HOUR, requests: 3 },
    { keyId: 'a', hour: 11 * HOUR, requests: 1 },
    { keyId: 'b', hour: 10 * HOUR, requests: 1 },
  ]);
  assert.deepEqual(
    [...lastUsed].sort((x, y) => x.keyId.localeCompare(y.keyId)),
    [
      { keyId: 'a', at: 11 * HOUR + 5 },
      { keyId: 'b', at: 10 * HOUR + 5 },
    ],
  );
  await usage.flush();
  assert.equal(writes.length, 1, 'nothing left to write');
});
