import type { Command } from 'commander';
import { createOrganization, findOrganization } from '../../core/rbac/manage-organizations.js';
import { endMembership } from '../../core/rbac/organization-membership.js';
import { findUser } from '../../core/rbac/manage-grants.js';
import type { Organization } from '../../core/rbac/organization.js';
import { positiveInteger, withPortcullis } from '../open.js';
import { formatTable, isoTime, isoTimeOrNull, paint, print, printJson } from '../output.js';

const orgJson = (org: Organization) => ({
  id: org.id,
  slug: org.slug,
  name: org.name,
  created_at: isoTimeOrNull(org.createdAt),
});

export function registerOrganizations(program: Command): void {
  program
    .command('orgs')
    .alias('orgs:list')
    .description('List organizations')
    .option('--limit <n>', 'at most this many (default 100)')
    .option('--json', 'print the organizations as a JSON array')
    .addHelpText('after', '\nExample:\n  $ portcullis orgs')
    .action(async (options: { limit?: string; json?: boolean }, command: Command) => {
      const limit = positiveInteger('--limit', options.limit, 100);
      const orgs = await withPortcullis(command, (p) => p.ctx.repos.organizations.list(limit));
      if (options.json) return printJson(orgs.map(orgJson));
      print(
        formatTable(
          orgs,
          [
            { header: 'ID', value: (o) => o.id },
            { header: 'SLUG', value: (o) => o.slug },
            { header: 'NAME', value: (o) => o.name },
            { header: 'CREATED', value: (o) => isoTime(o.createdAt) },
          ],
          'No organizations. Create one: portcullis orgs:create --name="Acme"',
        ),
      );
    });

  program
    .command('orgs:create')
    .description('Create an organization (a tenant with members and per-organization roles)')
    .requiredOption('--name <name>', 'display name')
    .option('--slug <slug>', 'URL-safe id (default: from the name)')
    .option('--json', 'print the organization as JSON')
    .addHelpText('after', '\nExample:\n  $ portcullis orgs:create --name="Acme Corp" --slug=acme')
    .action(async (options: { name: string; slug?: string; json?: boolean }, command: Command) => {
      const org = await withPortcullis(command, (p) =>
        createOrganization(p.ctx, {
          name: options.name,
          ...(options.slug !== undefined ? { slug: options.slug } : {}),
        }),
      );
      if (options.json) return printJson(orgJson(org));
      print(paint('green', `Organization ${org.slug} created: ${org.id}`));
    });

  program
    .command('orgs:add-member')
    .description(
      'Make a user a member of an organization (or remove them with --remove: their roles, sessions and API keys there end too)',
    )
    .requiredOption('--org <id|slug>', 'the organization')
    .requiredOption('--user <id|email>', 'the user')
    .option('--remove', 'remove the member instead')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  $ portcullis orgs:add-member --org=acme --user=ada@example.com',
    )
    .action(
      async (
        options: { org: string; user: string; remove?: boolean; json?: boolean },
        command: Command,
      ) => {
        const { org, user, changed } = await withPortcullis(command, async (p) => {
          const org = await findOrganization(p.ctx, options.org);
          const user = await findUser(p.ctx, options.user);
          const changed = options.remove
            ? await endMembership(p.ctx, org, user.id)
            : await p.ctx.repos.organizations.addMember(org.id, user.id, p.ctx.clock.now());
          return { org, user, changed };
        });
        if (options.json)
          return printJson({
            organization: org.slug,
            user: user.email,
            member: !options.remove,
            changed,
          });
        print(
          changed
            ? paint(
                'green',
                `${user.email} ${options.remove ? 'removed from' : 'added to'} ${org.slug}.`,
              )
            : `${user.email} ${options.remove ? 'was not a member of' : 'is already a member of'} ${org.slug}.`,
        );
      },
    );
}
