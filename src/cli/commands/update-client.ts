import type { Command } from 'commander';
import { regenerateClientSecret } from '../../core/clients/create-client.js';
import { findClient, updateClient } from '../../core/clients/manage-client.js';
import { UsageError, withPortcullis } from '../open.js';
import { formatFields, formatSecret, paint, print, printJson } from '../output.js';
import { clientFields, clientView } from './client-view.js';
import { collect, scopeList } from './create-client.js';

interface UpdateOptions {
  id: string;
  name?: string;
  redirect: string[];
  scopes?: string;
  firstParty?: boolean;
  json?: boolean;
}

export function registerUpdateClient(program: Command): void {
  program
    .command('update')
    .description("Change a client's name, redirect URIs, allowed scopes or first-party flag")
    .requiredOption('--id <id>', 'client id')
    .option('--name <name>', 'new name')
    .option(
      '--redirect <uri>',
      'redirect URI (repeatable; replaces the registered list)',
      collect,
      [],
    )
    .option('--scopes <scopes>', 'allowed scopes, space or comma separated')
    .option('--first-party', 'users are not asked to consent')
    .option('--no-first-party', 'users are asked to consent')
    .option('--json', 'print the updated client as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ portcullis update --id=01J9Z3K7Q8R2M4N6P8S0T2V4W6 --name="New Name"
  $ portcullis update --id=01J9Z3K7Q8R2M4N6P8S0T2V4W6 --redirect=https://a.example/cb --redirect=https://b.example/cb`,
    )
    .action(async (options: UpdateOptions, command: Command) => {
      const changes = {
        ...(options.name !== undefined ? { name: options.name } : {}),
        ...(options.redirect.length ? { redirectUris: options.redirect } : {}),
        ...(options.scopes !== undefined ? { scopes: scopeList(options.scopes) } : {}),
        ...(options.firstParty !== undefined ? { skipConsent: options.firstParty } : {}),
      };
      if (Object.keys(changes).length === 0) {
        throw new UsageError(
          'nothing to update: give --name, --redirect, --scopes or --[no-]first-party',
        );
      }
      const client = await withPortcullis(command, (p) => updateClient(p.ctx, options.id, changes));
      if (options.json) return printJson(clientView(client));
      print(paint('green', 'Client updated.'));
      print(formatFields(clientFields(client)));
    });

  program
    .command('secret')
    .description('Give a client a new secret (printed once); the old one stops working at once')
    .requiredOption('--id <id>', 'client id')
    .option('--json', 'print {id, client_secret} as JSON')
    .addHelpText('after', '\nExample:\n  $ portcullis secret --id=01J9Z3K7Q8R2M4N6P8S0T2V4W6')
    .action(async (options: { id: string; json?: boolean }, command: Command) => {
      const { client, secret } = await withPortcullis(command, async (p) => {
        const client = await findClient(p.ctx, options.id);
        return { client, secret: await regenerateClientSecret(p.ctx, client) };
      });
      if (options.json) return printJson({ id: client.id, client_secret: secret });
      print(paint('green', `New secret for ${client.name} (${client.id}).`));
      print(formatSecret('Client secret', secret));
    });
}
