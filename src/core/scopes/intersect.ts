import { scopeAllows, scopeCovers } from './match.js';

/** The scope both patterns cover (`posts:*` and `*:read` → `posts:read`), or undefined. */
function meet(a: string, b: string): string | undefined {
  if (scopeCovers(a, b)) return b;
  if (scopeCovers(b, a)) return a;
  const ai = a.indexOf(':');
  const bi = b.indexOf(':');
  if (ai < 0 || bi < 0) return undefined;
  const [ar, aa] = [a.slice(0, ai), a.slice(ai + 1)];
  const [br, ba] = [b.slice(0, bi), b.slice(bi + 1)];
  const resource = ar === '*' ? br : br === '*' || br === ar ? ar : undefined;
  const action = aa === '*' ? ba : ba === '*' || ba === aa ? aa : undefined;
  return resource !== undefined && action !== undefined ? `${resource}:${action}` : undefined;
}

/**
 * The scopes covered by both sets (wildcards included): what a credential bounded by `a` and by
 * `b` may do. Intersection, never union: `['posts:*'] ∩ ['posts:read']` is `['posts:read']`.
 */
export function intersectScopes(a: readonly string[], b: readonly string[]): string[] {
  const result = new Set<string>();
  for (const x of a) {
    if (scopeAllows(b, x)) {
      result.add(x);
      continue;
    }
    for (const y of b) {
      const both = meet(x, y);
      if (both !== undefined) result.add(both);
    }
  }
  return [...result];
}
