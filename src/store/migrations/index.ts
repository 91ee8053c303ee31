import type { Migration } from 'kysely';
import * as m001 from './001-oauth-foundation.js';

/** Every migration, in order. Names sort; they are never renamed once released. */
export const MIGRATIONS: Record<string, Migration> = {
  '001-oauth-foundation': m001,
};
