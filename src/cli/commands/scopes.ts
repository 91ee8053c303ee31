import type { Command } from 'commander';
import { defineScope, deleteScope, describeUsage } from '../../core/scopes/manage-scopes.js';
import { UsageError, withPortcullis } from '../open.js';
import { canPrompt, confirmDestructive } from '../confirm.js';
import { formatTable, isoTimeOrNull, paint, print, printJson } from '../output.js';

export function registerScopes(program: Command): void {
  program
    .command('scopes')
    .description('List the scopes clients may request')
    .option('--json', 'print the scopes as a JSON array')
    .addHelpText('after', '\nExamples:\n  $ portcullis scopes\n  $ portcullis scopes --json')
    .action(async (options: { json?: boolean }, command: Command) => {
      const scopes = await withPortcullis(command, (p) => p.ctx.repos.scopes.list());
      if (options.json) {
        return printJson(
          scopes.map((s) => ({
            name: s.name,
            description: s.description,
            created_at: isoTimeOrNull(s.createdAt),
          })),
        );
      }
      print(
        formatTable(
          scopes,
          [
            { header: 'SCOPE', value: (s) => s.name },
            { header: 'DESCRIPTION', value: (s) => s.description },
          ],
          'No scopes defined. Add one: portcullis scopes:create --scope=posts:read',
        ),
      );
    });

  program
    .command('scopes:create')
    .description('Define a scope (or change its description); every server sees it at once')
    .requiredOption('--scope <name>', 'scope name: `name` or `resource:action`')
    .option('--description <text>', 'what the scope lets a client do (shown on the consent page)')
    .option('--json', 'print the scope as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ portcullis scopes:create --scope=posts:read --description="Read your posts"
  $ portcullis scopes:create --scope=custom`,
    )
    .action(
      async (
        options: { scope: string; description?: string; json?: boolean },
        command: Command,
      ) => {
        const { scope, created } = await withPortcullis(command, (p) =>
          defineScope(p.ctx, options.scope, options.description),
        );
        if (options.json) {
          return printJson({
            name: scope.name,
            description: scope.description,
            created,
            created_at: isoTimeOrNull(scope.createdAt),
          });
        }
        print(
          paint('green', created ? `Scope ${scope.name} created.` : `Scope ${scope.name} updated.`),
        );
      },
    );

  program
    .command('scopes:delete')
    .description(
      'Delete a scope; refuses while clients, live tokens or consents use it, unless --force',
    )
    .requiredOption('--scope <name>', 'scope name')
    .option('--force', 'delete even when in use, without asking')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Tokens already granted keep the scope until they expire; new requests for it get invalid_scope.
A deleted scope stays deleted even when the configuration still lists it.

Examples:
  $ portcullis scopes:delete --scope=old_scope
  $ portcullis scopes:delete --scope=posts:read --force`,
    )
    .action(
      async (options: { scope: string; force?: boolean; json?: boolean }, command: Command) => {
        if (!options.scope.trim()) throw new UsageError('--scope must not be empty');
        const { usage } = await withPortcullis(command, async (p) => {
          // The in-use check guards scripts; a person at a terminal is asked as well.
          if (!options.force && canPrompt())
            await confirmDestructive(`Delete scope ${options.scope}?`, false);
          return deleteScope(p.ctx, options.scope, { force: options.force === true });
        });
        if (options.json) return printJson({ deleted: options.scope, usage_at_deletion: usage });
        const used = describeUsage(usage);
        print(
          paint('green', `Scope ${options.scope} deleted.`) +
            (used ? ` It was still named by ${used}.` : ''),
        );
      },
    );
}
