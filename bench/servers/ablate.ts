// What-if experiments for attributing the cost of a token request (BENCH_ABLATE): each one
// switches off one piece of work by patching the running server's CoreContext from the outside
// (src/ is untouched). The figures they produce are NOT product figures; they only say how
// much a piece costs under load.
import { randomBytes, webcrypto } from 'node:crypto';
import type { CoreContext } from '../../src/core/context.js';

type Repos = CoreContext['repos'];
type FoundClient = Awaited<ReturnType<Repos['clients']['findById']>>;
type ScopeList = ReturnType<Repos['scopes']['list']>;

export const ABLATIONS = {
  insert: 'access-token record INSERT skipped',
  client: 'client lookup served from an in-memory Map (no SELECT)',
  scopes: 'scope list served from memory (no SELECT)',
  sign: 'HS256 (pre-imported HMAC CryptoKey) instead of the asymmetric key',
} as const;

export type Ablation = keyof typeof ABLATIONS;

export function parseAblations(value: string): Ablation[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!(name in ABLATIONS)) {
      throw new Error(`unknown ablation "${name}"; known: ${Object.keys(ABLATIONS).join(', ')}`);
    }
  }
  return names as Ablation[];
}

export async function applyAblations(
  ctx: CoreContext,
  ablations: readonly Ablation[],
): Promise<void> {
  const { repos } = ctx;
  if (ablations.includes('insert')) {
    repos.accessTokens.insert = async () => {};
  }
  if (ablations.includes('client')) {
    const cache = new Map<string, FoundClient>();
    const findById = repos.clients.findById.bind(repos.clients);
    repos.clients.findById = async (id) => {
      if (!cache.has(id)) cache.set(id, await findById(id));
      return cache.get(id);
    };
  }
  if (ablations.includes('scopes')) {
    let scopes: ScopeList | undefined;
    const list = repos.scopes.list.bind(repos.scopes);
    repos.scopes.list = () => (scopes ??= list());
  }
  if (ablations.includes('sign')) {
    const { kid } = ctx.keys.signing;
    // Imported once, like the real key, so only the signature algorithm changes.
    const secret = await webcrypto.subtle.importKey(
      'raw',
      randomBytes(32),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    Object.defineProperty(ctx.keys, 'signing', {
      // HS256 is outside SigningAlgorithm on purpose (the product never uses it); jose signs
      // with it given an HMAC CryptoKey, so the cast only lies to the type checker.
      get: () =>
        ({ kid, alg: 'HS256', privateKey: secret }) as unknown as CoreContext['keys']['signing'],
    });
  }
}
