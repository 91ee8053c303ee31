import { randomInt } from 'node:crypto';
import type { ApiKeyEnvironment } from './api-key.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 32 base62 characters: 190 bits, so a fast digest is as safe to store as a slow hash. */
export const RANDOM_LENGTH = 32;
const VISIBLE_LENGTH = 4;

export interface ParsedApiKey {
  prefix: string;
  environment: ApiKeyEnvironment;
  random: string;
}

/** A new key: `{prefix}_{environment}_{32 base62}` (e.g. `sk_live_…`), uniformly random. */
export function generateApiKey(prefix: string, environment: ApiKeyEnvironment): string {
  let random = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) random += BASE62[randomInt(BASE62.length)];
  return `${prefix}_${environment}_${random}`;
}

const SHAPE = /^([a-z]{2,8})_(live|test)_([0-9A-Za-z]{32})$/;

/** The parts of a well-formed key with our prefix, or undefined for anything else. */
export function parseApiKey(value: string, prefix: string): ParsedApiKey | undefined {
  if (value.length > 64) return undefined;
  const match = SHAPE.exec(value);
  if (!match || match[1] !== prefix) return undefined;
  return { prefix, environment: match[2] as ApiKeyEnvironment, random: match[3]! };
}

/**
 * Whether `value` is a well-formed key with our prefix: what `parseApiKey` checks, without
 * building its parts (this runs on every key-authenticated request).
 */
export function isApiKeyShaped(value: string, prefix: string): boolean {
  return (
    value.length === prefix.length + 6 + RANDOM_LENGTH &&
    value.startsWith(prefix) &&
    SHAPE.test(value)
  );
}

/** What may be shown of a key after its creation: `sk_live_abcd`. */
export const displayPrefix = (key: ParsedApiKey): string =>
  `${key.prefix}_${key.environment}_${key.random.slice(0, VISIBLE_LENGTH)}`;

/** True for a value shaped like some API key (any prefix): worth answering as one. */
export const looksLikeApiKey = (value: string): boolean => SHAPE.test(value);
