import type { Command } from 'commander';
import {
  createRole,
  deleteRole,
  grantRolePermissions,
  revokeRolePermissions,
} from '../../core/rbac/manage-roles.js';
import type { Role } from '../../core/rbac/rbac.js';
import { UsageError, withPortcullis } from '../open.js';
import { confirmDestructive } from '../confirm.js';
import { formatTable, isoTimeOrNull, paint, print, printJson } from '../output.js';

/** `--permissions=a,b --permissions c` → `['a', 'b', 'c']`. */
export const listOption = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];

const roleJson = (role: Role, holders?: number) => ({
  name: role.name,
  description: role.description,
  permissions: role.permissions,
  ...(holders !== undefined ? { holders } : {}),
  created_at: isoTimeOrNull(role.createdAt),
  updated_at: isoTimeOrNull(role.updatedAt),
});

export function registerRoles(program: Command): void {
  program
    .command('roles')
    .alias('roles:list')
    .description('List the roles, their permissions and how many users hold each')
    .option('--json', 'print the roles as a JSON array')
    .addHelpText('after', '\nExamples:\n  $ portcullis roles\n  $ portcullis roles:list --json')
    .action(async (options: { json?: boolean }, command: Command) => {
      const rows = await withPortcullis(command, async (p) => {
        const roles = await p.ctx.repos.rbac.listRoles();
        return Promise.all(
          roles.map(async (role) => ({
            role,
            holders: await p.ctx.repos.rbac.countHolders(role.id),
          })),
        );
      });
      if (options.json) return printJson(rows.map((r) => roleJson(r.role, r.holders)));
      print(
        formatTable(
          rows,
          [
            { header: 'ROLE', value: (r) => r.role.name },
            { header: 'USERS', value: (r) => String(r.holders), right: true },
            { header: 'PERMISSIONS', value: (r) => r.role.permissions.join(' ') || '-' },
            { header: 'DESCRIPTION', value: (r) => r.role.description },
          ],
          'No roles. Create one: portcullis roles:create --name=editor --permissions=posts:*',
        ),
      );
    });

  program
    .command('roles:create')
    .description('Define a role: a name and the permissions it grants (patterns allowed)')
    .requiredOption('--name <name>', 'role name: lower-case letters, digits, _ and -')
    .option('--permissions <list>', 'comma-separated permissions (repeatable)', listOption, [])
    .option('--description <text>', 'what the role is for')
    .option('--json', 'print the role as JSON')
    .addHelpText(
      'after',
      `
Permissions are resource:action; resource:*, *:action and * are patterns.

Examples:
  $ portcullis roles:create --name=editor --permissions=posts:*,comments:moderate
  $ portcullis roles:create --name=auditor --permissions='*:read' --description="Reads everything"`,
    )
    .action(
      async (
        options: { name: string; permissions: string[]; description?: string; json?: boolean },
        command: Command,
      ) => {
        const role = await withPortcullis(command, (p) =>
          createRole(p.ctx, {
            name: options.name,
            permissions: options.permissions,
            ...(options.description !== undefined ? { description: options.description } : {}),
          }),
        );
        if (options.json) return printJson(roleJson(role));
        print(
          paint('green', `Role ${role.name} created`) +
            ` with ${role.permissions.join(' ') || 'no permissions'}.`,
        );
      },
    );

  for (const [name, verb, change] of [
    ['roles:grant', 'Give a role more permissions', grantRolePermissions],
    ['roles:revoke', 'Take permissions away from a role', revokeRolePermissions],
  ] as const) {
    program
      .command(name)
      .description(`${verb} (every holder's next token carries the change)`)
      .requiredOption('--role <name>', 'role name')
      .requiredOption(
        '--permissions <list>',
        'comma-separated permissions (repeatable)',
        listOption,
      )
      .option('--json', 'print the role as JSON')
      .addHelpText(
        'after',
        `\nExample:\n  $ portcullis ${name} --role=editor --permissions=posts:publish`,
      )
      .action(
        async (
          options: { role: string; permissions: string[]; json?: boolean },
          command: Command,
        ) => {
          if (options.permissions.length === 0)
            throw new UsageError('--permissions names at least one permission');
          const role = await withPortcullis(command, (p) =>
            change(p.ctx, options.role, options.permissions),
          );
          if (options.json) return printJson(roleJson(role));
          print(
            paint('green', `Role ${role.name} updated`) +
              `: ${role.permissions.join(' ') || 'no permissions'}.`,
          );
        },
      );
  }

  program
    .command('roles:delete')
    .description('Delete a role and take it from every user who holds it')
    .requiredOption('--role <name>', 'role name (not admin)')
    .option('--force', 'delete without asking')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExample:\n  $ portcullis roles:delete --role=editor --force')
    .action(
      async (options: { role: string; force?: boolean; json?: boolean }, command: Command) => {
        await withPortcullis(command, async (p) => {
          await confirmDestructive(
            `Delete role ${options.role} from everyone who holds it?`,
            options.force,
          );
          await deleteRole(p.ctx, options.role);
        });
        if (options.json) return printJson({ deleted: options.role });
        print(paint('green', `Role ${options.role} deleted.`));
      },
    );
}
