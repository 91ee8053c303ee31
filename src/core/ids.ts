import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

// ulid asks its PRNG once per character; one randomFillSync per 1024 draws instead of one
// crypto call per character keeps id generation off the token endpoint's profile.
const pool = new Uint32Array(1024);
let next = pool.length;
function pooledRandom(): number {
  if (next === pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  return pool[next++]! / 0x1_0000_0000;
}

const ulid = monotonicFactory(pooledRandom);

/** A new ULID (`01H…`): sortable by creation time, as the seeds' ids are. */
export function newId(): string {
  return ulid();
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function isId(value: string): boolean {
  return ULID.test(value);
}
