import { digest } from '../core/secrets.js';

export interface IntrospectionOptions {
  /** The server's introspection endpoint, e.g. `http://127.0.0.1:8000/oauth/introspect`. */
  endpoint: string;
  /** A confidential client of the server (client_secret_basic). */
  clientId: string;
  clientSecret: string;
  /** How long an answer is reused (seconds, default 30; never past the token's `exp`). */
  cacheSeconds?: number;
  /** Most answers kept (default 10 000). */
  cacheSize?: number;
  /** Give up on the server after this long (ms, default 3000). */
  timeoutMs?: number;
}

/** An active RFC 7662 answer (inactive answers are `undefined`). */
export type ActiveIntrospection = Record<string, unknown> & {
  active: true;
  token_type?: string;
};

/**
 * Asks the server's RFC 7662 endpoint about a credential, with a short LRU of active answers
 * keyed by the credential's SHA-256 (a revoked credential is refused at the latest after
 * `cacheSeconds`). A server that cannot be reached is an error, not an inactive token.
 */
export function introspector(
  options: IntrospectionOptions,
): (credential: string) => Promise<ActiveIntrospection | undefined> {
  const ttlMs = (options.cacheSeconds ?? 30) * 1000;
  const maxEntries = options.cacheSize ?? 10_000;
  const cache = new Map<string, { answer: ActiveIntrospection; until: number }>();
  // RFC 6749 §2.3.1: form-urlencode each part, then Base64.
  const authorization = `Basic ${Buffer.from(
    `${encodeURIComponent(options.clientId)}:${encodeURIComponent(options.clientSecret)}`,
  ).toString('base64')}`;
  return async (credential) => {
    const key = digest(credential);
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.until > now) {
      // Most recently used last: a flood of one-off credentials evicts the idle ones first.
      cache.delete(key);
      cache.set(key, hit);
      return hit.answer;
    }
    const response = await fetch(options.endpoint, {
      method: 'POST',
      headers: {
        authorization,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: new URLSearchParams({ token: credential }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
    });
    if (!response.ok) {
      throw new Error(`introspection at ${options.endpoint} answered ${response.status}`);
    }
    const body = (await response.json()) as Record<string, unknown>;
    // Inactive answers are not kept: made-up credentials must not push real ones out.
    if (body.active !== true) return undefined;
    const answer = Object.freeze(body) as ActiveIntrospection;
    const exp = typeof body.exp === 'number' ? body.exp * 1000 : Infinity;
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    cache.set(key, { answer, until: Math.min(now + ttlMs, exp) });
    return answer;
  };
}
