import type { CoreContext } from '../context.js';

/** Adds the configured scopes that the database lacks; scopes made by the CLI are kept. */
export async function syncConfiguredScopes(ctx: CoreContext): Promise<number> {
  const now = ctx.clock.now();
  return ctx.repos.scopes.insertMissing(
    Object.entries(ctx.config.scopes).map(([name, description]) => ({
      name,
      description,
      createdAt: now,
    })),
  );
}
