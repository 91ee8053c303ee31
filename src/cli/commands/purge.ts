import type { Command } from 'commander';
import { countPrunable } from '../../core/maintenance/prune.js';
import { purge } from '../../core/maintenance/purge.js';
import { PRUNABLE_TABLES } from '../../core/maintenance/maintenance-repository.js';
import { withPortcullis } from '../open.js';
import { confirmDestructive } from '../confirm.js';
import { counted, paint, print, printJson } from '../output.js';
import { describePruneCounts, pruneProgress } from './tokens-maintenance.js';

export function registerPurge(program: Command): void {
  program
    .command('purge')
    .description(
      'Delete revoked clients (with their data), expired and revoked tokens, and dead keys (asks first)',
    )
    .option('--all', 'also delete every ACTIVE client with all its tokens and consents')
    .option('--force', 'do not ask for confirmation')
    .option('--json', 'print the counts as JSON')
    .addHelpText(
      'after',
      `
Users, scopes and the active signing key are never touched. Active clients and their live
tokens are kept unless --all is given.

Examples:
  $ portcullis purge
  $ portcullis purge --force
  $ portcullis purge --all --force     # every client and token: a clean slate`,
    )
    .action(
      async (options: { all?: boolean; force?: boolean; json?: boolean }, command: Command) => {
        const result = await withPortcullis(command, async (p) => {
          const clients = (await p.ctx.repos.clients.list({ includeRevoked: true })).filter(
            (c) => options.all || c.revokedAt !== null,
          );
          const dead = await countPrunable(p.ctx, p.ctx.clock.now());
          const rows = PRUNABLE_TABLES.reduce((n, t) => n + dead[t], 0);
          await confirmDestructive(
            options.all
              ? `Delete ALL ${counted(clients.length, 'client')} with every token and consent, and ${counted(rows, 'dead row')}?`
              : `Delete ${counted(clients.length, 'revoked client')} with their data, and ${counted(rows, 'expired or revoked row')}?`,
            options.force,
          );
          const bar = pruneProgress(dead);
          try {
            return await purge(p.ctx, { all: options.all === true, onProgress: bar.onProgress });
          } finally {
            bar.done();
          }
        });
        if (options.json) {
          return printJson({
            clients: result.clients,
            signing_keys: result.signingKeys,
            pruned: result.pruned,
          });
        }
        const pruned = Object.values(result.pruned).some((n) => n > 0)
          ? describePruneCounts(result.pruned)
          : '';
        print(
          paint('green', 'Purged') +
            `: ${counted(result.clients, 'client')}, ${counted(result.signingKeys, 'retired signing key')}` +
            (pruned ? `, ${pruned}.` : ', no dead tokens.'),
        );
      },
    );
}
