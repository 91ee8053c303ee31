import type { Command } from 'commander';
import { progress } from '@clack/prompts';
import {
  countPrunable,
  pruneDeadRows,
  type PruneCounts,
  type PruneProgress,
} from '../../core/maintenance/prune.js';
import {
  PRUNABLE_TABLES,
  type PrunableTable,
} from '../../core/maintenance/maintenance-repository.js';
import { tokenStats } from '../../core/maintenance/token-stats.js';
import { positiveInteger, withPortcullis } from '../open.js';
import { canPrompt, confirmDestructive } from '../confirm.js';
import { formatTable, paint, print, printJson } from '../output.js';

const HOUR_MS = 3_600_000;
const sum = (counts: PruneCounts) => PRUNABLE_TABLES.reduce((n, t) => n + counts[t], 0);
const ROW_NOUNS: Record<PrunableTable, [string, string]> = {
  access_tokens: ['access token', 'access tokens'],
  refresh_tokens: ['refresh token', 'refresh tokens'],
  refresh_token_families: ['refresh token family', 'refresh token families'],
  authorization_codes: ['authorization code', 'authorization codes'],
  login_sessions: ['sign-in session', 'sign-in sessions'],
};

/** `3 access tokens, 1 refresh token family`, or `nothing`. */
export const describePruneCounts = (counts: PruneCounts): string =>
  PRUNABLE_TABLES.filter((t) => counts[t] > 0)
    .map((t) => `${counts[t]} ${ROW_NOUNS[t][counts[t] === 1 ? 0 : 1]}`)
    .join(', ') || 'nothing';

/**
 * A progress bar on a terminal (stderr is left alone otherwise): long prunes of millions of
 * rows show that they are moving.
 */
export function pruneProgress(totals: PruneCounts): {
  onProgress: ((p: PruneProgress) => void) | undefined;
  done(): void;
} {
  const total = sum(totals);
  if (!canPrompt() || total < 1000) return { onProgress: undefined, done: () => undefined };
  const bar = progress({ max: total });
  bar.start('Pruning');
  const seen: Partial<PruneCounts> = {};
  let shown = 0;
  return {
    onProgress: (p) => {
      const step = p.deleted - (seen[p.table] ?? 0);
      seen[p.table] = p.deleted;
      shown += step;
      bar.advance(step, `Pruning ${p.table.replace(/_/g, ' ')} (${shown}/${total})`);
    },
    done: () => bar.stop(`Pruned ${shown} rows`),
  };
}

export function registerTokensMaintenance(program: Command): void {
  program
    .command('tokens:prune')
    .description(
      'Delete expired and revoked tokens, codes and sessions, in small batches (asks first)',
    )
    .option('--hours <n>', 'keep what died less than this many hours ago (default 0)')
    .option('--batch-size <n>', 'rows per delete statement (default 500)')
    .option('--force', 'do not ask for confirmation')
    .option('--json', 'print the counts as JSON')
    .addHelpText(
      'after',
      `
A consumed refresh token of a live family is kept until it expires: it is what detects a
stolen token being replayed. Each batch is its own short transaction, so a running server is
never blocked for long.

Examples:
  $ portcullis tokens:prune
  $ portcullis tokens:prune --force --hours=168`,
    )
    .action(
      async (
        options: { hours?: string; batchSize?: string; force?: boolean; json?: boolean },
        command: Command,
      ) => {
        const hours = positiveInteger('--hours', options.hours, 0);
        const batchSize = Math.max(1, positiveInteger('--batch-size', options.batchSize, 500));
        const deleted = await withPortcullis(command, async (p) => {
          const cutoff = p.ctx.clock.now() - hours * HOUR_MS;
          const totals = await countPrunable(p.ctx, cutoff);
          if (sum(totals) === 0) return totals;
          await confirmDestructive(`Delete ${describePruneCounts(totals)}?`, options.force);
          const bar = pruneProgress(totals);
          try {
            return await pruneDeadRows(p.ctx, { cutoff, batchSize, onProgress: bar.onProgress });
          } finally {
            bar.done();
          }
        });
        if (options.json) return printJson({ deleted, total: sum(deleted) });
        print(
          sum(deleted)
            ? paint('green', `Pruned ${describePruneCounts(deleted)}.`)
            : 'Nothing to prune.',
        );
      },
    );

  program
    .command('tokens:stats')
    .description('Access tokens per client and grant (active, expired, revoked) and issued per day')
    .option('--days <n>', 'days of daily counts (default 14)')
    .option('--json', 'print the statistics as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ portcullis tokens:stats\n  $ portcullis tokens:stats --days=30 --json',
    )
    .action(async (options: { days?: string; json?: boolean }, command: Command) => {
      const days = Math.max(1, positiveInteger('--days', options.days, 14));
      const stats = await withPortcullis(command, (p) => tokenStats(p.ctx, { days }));
      if (options.json) {
        return printJson({
          totals: stats.totals,
          by_client: stats.byClient.map((c) => ({
            client_id: c.clientId,
            client_name: c.clientName,
            grant_type: c.grantType,
            active: c.active,
            expired: c.expired,
            revoked: c.revoked,
          })),
          issued_per_day: stats.issuedPerDay,
          days: stats.days,
        });
      }
      print(paint('bold', 'Access tokens by client and grant'));
      print(
        formatTable(
          stats.byClient,
          [
            { header: 'CLIENT', value: (c) => c.clientName ?? c.clientId },
            { header: 'GRANT', value: (c) => c.grantType ?? 'unknown' },
            { header: 'ACTIVE', value: (c) => String(c.active), right: true },
            { header: 'EXPIRED', value: (c) => String(c.expired), right: true },
            { header: 'REVOKED', value: (c) => String(c.revoked), right: true },
          ],
          '  No tokens issued yet.',
        ),
      );
      print(
        `Total: ${stats.totals.active} active, ${stats.totals.expired} expired, ${stats.totals.revoked} revoked`,
      );
      print();
      print(paint('bold', `Issued per day (last ${stats.days} days, UTC)`));
      print(
        formatTable(
          stats.issuedPerDay,
          [
            { header: 'DAY', value: (d) => d.day },
            { header: 'ISSUED', value: (d) => String(d.issued), right: true },
          ],
          '  None.',
        ),
      );
    });
}
