import { monotonicFactory } from 'ulid';

const ulid = monotonicFactory();

/** A new ULID (`01H…`): sortable by creation time, as the seeds' ids are. */
export function newId(): string {
  return ulid();
}

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

export function isId(value: string): boolean {
  return ULID.test(value);
}
