import type { Command } from 'commander';
import {
  deleteClient,
  findClient,
  restoreClient,
  revokeClient,
} from '../../core/clients/manage-client.js';
import { withPortcullis } from '../open.js';
import { confirmDestructive } from '../confirm.js';
import { counted, paint, print, printJson } from '../output.js';
import { clientView } from './client-view.js';

export function registerClientLifecycle(program: Command): void {
  program
    .command('revoke')
    .description(
      'Revoke a client: it can no longer get tokens, and every token it holds is revoked',
    )
    .requiredOption('--id <id>', 'client id')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExample:\n  $ portcullis revoke --id=01J9Z3K7Q8R2M4N6P8S0T2V4W6')
    .action(async (options: { id: string; json?: boolean }, command: Command) => {
      const result = await withPortcullis(command, (p) => revokeClient(p.ctx, options.id));
      if (options.json) {
        return printJson({
          client: clientView(result.client),
          already_revoked: result.alreadyRevoked,
          revoked_access_tokens: result.tokens.accessTokens,
          revoked_refresh_families: result.tokens.refreshFamilies,
        });
      }
      if (result.alreadyRevoked) return print(`Client ${result.client.id} was already revoked.`);
      print(
        paint('green', `Client ${result.client.id} (${result.client.name}) revoked`) +
          `: ${counted(result.tokens.accessTokens, 'access token')} and ${counted(result.tokens.refreshFamilies, 'refresh token family', 'refresh token families')} revoked with it.`,
      );
    });

  program
    .command('restore')
    .description('Restore a revoked client (its old tokens stay revoked)')
    .requiredOption('--id <id>', 'client id')
    .option('--json', 'print the client as JSON')
    .addHelpText('after', '\nExample:\n  $ portcullis restore --id=01J9Z3K7Q8R2M4N6P8S0T2V4W6')
    .action(async (options: { id: string; json?: boolean }, command: Command) => {
      const result = await withPortcullis(command, (p) => restoreClient(p.ctx, options.id));
      if (options.json)
        return printJson({ client: clientView(result.client), was_revoked: result.wasRevoked });
      print(
        result.wasRevoked
          ? paint('green', `Client ${result.client.id} (${result.client.name}) restored.`)
          : `Client ${result.client.id} was not revoked.`,
      );
    });

  program
    .command('delete')
    .description('Delete a client for good, with its tokens, codes and consents (asks first)')
    .requiredOption('--id <id>', 'client id')
    .option('--force', 'do not ask for confirmation')
    .option('--json', 'print the deleted client as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ portcullis delete --id=01J9Z3K7Q8R2M4N6P8S0T2V4W6
  $ portcullis delete --id=01J9Z3K7Q8R2M4N6P8S0T2V4W6 --force`,
    )
    .action(async (options: { id: string; force?: boolean; json?: boolean }, command: Command) => {
      const client = await withPortcullis(command, async (p) => {
        const found = await findClient(p.ctx, options.id);
        await confirmDestructive(
          `Delete client ${found.id} (${found.name}) and all its tokens?`,
          options.force,
        );
        return deleteClient(p.ctx, found.id);
      });
      if (options.json) return printJson(clientView(client));
      print(paint('green', `Client ${client.id} (${client.name}) deleted.`));
    });
}
