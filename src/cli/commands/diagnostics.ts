import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { healthReport } from '../../runtime/health-report.js';
import { countPrunable } from '../../core/maintenance/prune.js';
import { tokenStats } from '../../core/maintenance/token-stats.js';
import { loadCliConfig, type GlobalOptions } from '../config.js';
import { withPortcullis } from '../open.js';
import { counted, formatFields, paint, print, printJson } from '../output.js';
import { VERSION } from '../version.js';

export function registerDiagnostics(program: Command): void {
  program
    .command('health')
    .description(
      'Check the database, migrations, key files, Redis and the clock; exit code 1 when anything fails',
    )
    .option('--json', 'print the checks as JSON')
    .addHelpText(
      'after',
      `
Changes nothing: it does not migrate, create keys or connect as a server.

Examples:
  $ portcullis health
  $ portcullis health --json || alert-someone`,
    )
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = loadCliConfig(command.optsWithGlobals<GlobalOptions>());
      const report = await healthReport(config, systemClock);
      if (options.json) printJson(report);
      else {
        for (const check of report.checks) {
          const mark = check.ok ? paint('green', 'ok  ') : paint('red', 'FAIL');
          print(`  ${mark}  ${check.name.padEnd(13)}${check.detail}`);
        }
        print();
        print(report.ok ? paint('green', 'Healthy.') : paint('red', 'Unhealthy: see FAIL above.'));
      }
      if (!report.ok) process.exitCode = 1;
    });

  program
    .command('status')
    .description('Show the installation: version, issuer, database, signing key, Redis and counts')
    .option('--json', 'print the status as JSON')
    .addHelpText('after', '\nExamples:\n  $ portcullis status\n  $ portcullis status --json')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = loadCliConfig(command.optsWithGlobals<GlobalOptions>());
      const health = await healthReport(config, systemClock);
      const byName = new Map(health.checks.map((c) => [c.name, c]));
      const schemaCurrent = byName.get('migrations')?.ok === true;
      const counts = schemaCurrent
        ? await withPortcullis(
            command,
            (p) => p.ctx.repos.maintenance.tableCounts(p.ctx.clock.now()),
            {
              migrate: false,
              prepare: false,
            },
          )
        : undefined;
      const status = {
        version: VERSION,
        issuer: config.issuer,
        database: byName.get('database')!,
        migrations: byName.get('migrations')!,
        signing_key: byName.get('signing key')!,
        redis: config.redisUrl ? byName.get('redis')! : null,
        counts: counts
          ? {
              clients: counts.clients,
              revoked_clients: counts.revokedClients,
              users: counts.users,
              scopes: counts.scopes,
              active_access_tokens: counts.activeAccessTokens,
              active_refresh_families: counts.activeRefreshFamilies,
            }
          : null,
        healthy: health.ok,
      };
      if (options.json) return printJson(status);
      const state = (c: { ok: boolean; detail: string }) =>
        c.ok ? c.detail : paint('red', c.detail);
      print(paint('bold', `Portcullis ${VERSION}`));
      print(
        formatFields([
          ['Issuer', config.issuer],
          ['Database', state(status.database)],
          ['Migrations', state(status.migrations)],
          ['Signing key', state(status.signing_key)],
          [
            'Redis',
            status.redis ? state(status.redis) : 'not configured (limits and caches per process)',
          ],
          ...(counts
            ? ([
                ['Clients', `${counts.clients} active, ${counts.revokedClients} revoked`],
                ['Users', String(counts.users)],
                ['Scopes', String(counts.scopes)],
                [
                  'Tokens',
                  `${counted(counts.activeAccessTokens, 'active access token')}, ${counted(counts.activeRefreshFamilies, 'refresh token family', 'refresh token families')}`,
                ],
              ] as Array<[string, string]>)
            : []),
        ]),
      );
      if (!health.ok) print(paint('yellow', '\n  Run `portcullis health` for the failing checks.'));
    });

  program
    .command('stats')
    .description('Counts: clients, users, scopes, tokens by state, and what a prune would remove')
    .option('--json', 'print the counts as JSON')
    .addHelpText('after', '\nExamples:\n  $ portcullis stats\n  $ portcullis stats --json')
    .action(async (options: { json?: boolean }, command: Command) => {
      const { counts, tokens, prunable } = await withPortcullis(command, async (p) => {
        const now = p.ctx.clock.now();
        return {
          counts: await p.ctx.repos.maintenance.tableCounts(now),
          tokens: (await tokenStats(p.ctx, { days: 1 })).totals,
          prunable: await countPrunable(p.ctx, now),
        };
      });
      const stats = {
        clients: counts.clients,
        revoked_clients: counts.revokedClients,
        users: counts.users,
        scopes: counts.scopes,
        access_tokens: tokens,
        active_refresh_families: counts.activeRefreshFamilies,
        signing_keys: counts.signingKeys,
        prunable,
      };
      if (options.json) return printJson(stats);
      print(
        formatFields([
          ['Clients', `${counts.clients} active, ${counts.revokedClients} revoked`],
          ['Users', String(counts.users)],
          ['Scopes', String(counts.scopes)],
          [
            'Access tokens',
            `${tokens.active} active, ${tokens.expired} expired, ${tokens.revoked} revoked`,
          ],
          ['Refresh families', `${counts.activeRefreshFamilies} active`],
          ['Signing keys', String(counts.signingKeys)],
          ['Prunable rows', String(Object.values(prunable).reduce((a, b) => a + b, 0))],
        ]),
      );
    });
}
