import type { Command } from 'commander';
import { findClient } from '../../core/clients/manage-client.js';
import { withPortcullis } from '../open.js';
import { formatFields, formatTable, isoTime, print, printJson } from '../output.js';
import { clientFields, clientView } from './client-view.js';

export function registerListClients(program: Command): void {
  program
    .command('list')
    .description('List OAuth clients (active ones; --revoked includes revoked)')
    .option('--revoked', 'include revoked clients')
    .option('--json', 'print the clients as a JSON array')
    .addHelpText(
      'after',
      `
Examples:
  $ portcullis list
  $ portcullis list --revoked --json`,
    )
    .action(async (options: { revoked?: boolean; json?: boolean }, command: Command) => {
      const clients = await withPortcullis(command, (p) =>
        p.ctx.repos.clients.list({ includeRevoked: options.revoked === true }),
      );
      if (options.json) return printJson(clients.map(clientView));
      print(
        formatTable(
          clients,
          [
            { header: 'ID', value: (c) => c.id },
            { header: 'NAME', value: (c) => c.name },
            { header: 'TYPE', value: (c) => c.kind + (c.secretDigest === null ? ' (public)' : '') },
            { header: 'REDIRECT', value: (c) => c.redirectUris.join(', ') || '-' },
            { header: 'STATUS', value: (c) => (c.revokedAt === null ? 'active' : 'revoked') },
            { header: 'CREATED', value: (c) => isoTime(c.createdAt) },
          ],
          options.revoked ? 'No clients.' : 'No active clients. Create one: portcullis create',
        ),
      );
    });

  program
    .command('show')
    .description('Show one client')
    .requiredOption('--id <id>', 'client id')
    .option('--json', 'print the client as JSON')
    .addHelpText('after', '\nExample:\n  $ portcullis show --id=01J9Z3K7Q8R2M4N6P8S0T2V4W6')
    .action(async (options: { id: string; json?: boolean }, command: Command) => {
      const client = await withPortcullis(command, (p) => findClient(p.ctx, options.id));
      if (options.json) return printJson(clientView(client));
      print(formatFields(clientFields(client)));
    });
}
