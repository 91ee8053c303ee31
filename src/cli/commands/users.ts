import type { Command } from 'commander';
import { assignRole, removeRole } from '../../core/rbac/manage-grants.js';
import { disableUser, enableUser, userDetails } from '../../core/users/manage-users.js';
import type { User } from '../../core/users/user.js';
import { readFileSync } from 'node:fs';
import { positiveInteger, UsageError, withPortcullis } from '../open.js';
import { importUsers, parseUserRows } from '../../core/users/import-users.js';
import {
  formatFields,
  formatTable,
  isoTime,
  isoTimeOrNull,
  paint,
  print,
  printJson,
} from '../output.js';

const userJson = (user: User) => ({
  id: user.id,
  email: user.email,
  name: user.name,
  email_verified_at: isoTimeOrNull(user.emailVerifiedAt),
  disabled_at: isoTimeOrNull(user.disabledAt),
  created_at: isoTimeOrNull(user.createdAt),
});

export function registerUsers(program: Command): void {
  program
    .command('users')
    .alias('users:list')
    .description('List users by email')
    .option('--limit <n>', 'at most this many (default 100)')
    .option('--after <email>', 'start after this email (the next page)')
    .option('--json', 'print the users as a JSON array')
    .addHelpText(
      'after',
      '\nExamples:\n  $ portcullis users:list\n  $ portcullis users --limit=20 --json',
    )
    .action(
      async (options: { limit?: string; after?: string; json?: boolean }, command: Command) => {
        const limit = positiveInteger('--limit', options.limit, 100);
        const users = await withPortcullis(command, (p) =>
          p.ctx.repos.users.list(limit, options.after),
        );
        if (options.json) return printJson(users.map(userJson));
        print(
          formatTable(
            users,
            [
              { header: 'ID', value: (u) => u.id },
              { header: 'EMAIL', value: (u) => u.email },
              { header: 'NAME', value: (u) => u.name ?? '-' },
              { header: 'STATUS', value: (u) => (u.disabledAt !== null ? 'disabled' : 'active') },
              { header: 'CREATED', value: (u) => isoTime(u.createdAt) },
            ],
            'No users. Create one: portcullis users:create --email=ada@example.com',
          ),
        );
      },
    );

  program
    .command('users:show')
    .description('Show a user: status, organizations, roles and permissions')
    .requiredOption('--user <id|email>', 'the user')
    .option('--json', 'print the user as JSON')
    .addHelpText('after', '\nExample:\n  $ portcullis users:show --user=ada@example.com')
    .action(async (options: { user: string; json?: boolean }, command: Command) => {
      const details = await withPortcullis(command, (p) => userDetails(p.ctx, options.user));
      if (options.json) {
        return printJson({
          ...userJson(details.user),
          roles: details.roles,
          permissions: details.permissions,
          organizations: details.organizations.map((o) => ({
            id: o.id,
            slug: o.slug,
            name: o.name,
          })),
          organization_grants: details.organizationGrants.map((g) => ({
            organization: g.organization.slug,
            roles: g.roles,
            permissions: g.permissions,
          })),
        });
      }
      const { user } = details;
      print(
        formatFields([
          ['ID', user.id],
          ['Email', user.email],
          ['Name', user.name ?? '-'],
          [
            'Status',
            user.disabledAt !== null
              ? paint('red', `disabled ${isoTime(user.disabledAt)}`)
              : 'active',
          ],
          ['Verified', isoTime(user.emailVerifiedAt)],
          ['Roles', details.roles.join(' ') || '-'],
          ['Permissions', details.permissions.join(' ') || '-'],
          ['Organizations', details.organizations.map((o) => o.slug).join(' ') || '-'],
          ...details.organizationGrants.map((g): [string, string] => [
            `  in ${g.organization.slug}`,
            [...g.roles, ...g.permissions].join(' '),
          ]),
        ]),
      );
    });

  program
    .command('users:assign-role')
    .description('Give a user a role, everywhere or in one organization (or take it with --remove)')
    .requiredOption('--user <id|email>', 'the user')
    .requiredOption('--role <name>', 'role name')
    .option('--org <id|slug>', 'only in this organization (the user must be a member)')
    .option('--remove', 'take the role away instead')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
The user's next access token carries the change; tokens already issued keep their claims.

Examples:
  $ portcullis users:assign-role --user=ada@example.com --role=admin
  $ portcullis users:assign-role --user=ada@example.com --role=editor --org=acme
  $ portcullis users:assign-role --user=ada@example.com --role=editor --remove`,
    )
    .action(
      async (
        options: { user: string; role: string; org?: string; remove?: boolean; json?: boolean },
        command: Command,
      ) => {
        const changed = await withPortcullis(command, (p) =>
          (options.remove ? removeRole : assignRole)(
            p.ctx,
            options.user,
            options.role,
            options.org,
          ),
        );
        const where = options.org ? ` in ${options.org}` : '';
        if (options.json)
          return printJson({
            user: options.user,
            role: options.role,
            organization: options.org ?? null,
            assigned: !options.remove,
            changed,
          });
        print(
          options.remove
            ? changed
              ? paint('green', `Role ${options.role} taken from ${options.user}${where}.`)
              : `${options.user} did not hold ${options.role}${where}.`
            : changed
              ? paint('green', `Role ${options.role} given to ${options.user}${where}.`)
              : `${options.user} already holds ${options.role}${where}.`,
        );
      },
    );

  program
    .command('users:disable')
    .description('Disable a user: sign-in fails and every token they hold is revoked')
    .requiredOption('--user <id|email>', 'the user')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExample:\n  $ portcullis users:disable --user=mallory@example.com')
    .action(async (options: { user: string; json?: boolean }, command: Command) => {
      const result = await withPortcullis(command, (p) => disableUser(p.ctx, options.user));
      if (options.json)
        return printJson({
          ...userJson(result.user),
          already_disabled: result.alreadyDisabled,
          revoked_access_tokens: result.accessTokens,
        });
      print(
        paint('green', `User ${result.user.email} disabled`) +
          `; ${result.accessTokens} access token(s) revoked.`,
      );
    });

  program
    .command('users:enable')
    .description('Let a disabled user sign in again (revoked tokens stay revoked)')
    .requiredOption('--user <id|email>', 'the user')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nExample:\n  $ portcullis users:enable --user=mallory@example.com')
    .action(async (options: { user: string; json?: boolean }, command: Command) => {
      const user = await withPortcullis(command, (p) => enableUser(p.ctx, options.user));
      if (options.json) return printJson(userJson(user));
      print(paint('green', `User ${user.email} enabled.`));
    });
}

export function registerUsersImport(program: Command): void {
  program
    .command('users:import')
    .description(
      'Import users with their password hashes (bcrypt from Laravel or passlib, argon2id)',
    )
    .requiredOption(
      '--file <path>',
      'a JSON array or a CSV file with email,password_hash[,name,email_verified]',
    )
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `
Each row stands alone: a bad or taken one is skipped with its reason, the rest go in. bcrypt
hashes keep working and become argon2id at each user's next sign-in. Exit code 1 when a row was
skipped.

Examples:
  $ portcullis users:import --file=users.csv
  $ portcullis users:import --file=export.json --json`,
    )
    .action(async (options: { file: string; json?: boolean }, command: Command) => {
      let rows;
      try {
        rows = parseUserRows(readFileSync(options.file, 'utf8'));
      } catch (error) {
        throw new UsageError(`${options.file}: ${(error as Error).message}`);
      }
      const report = await withPortcullis(command, (p) => importUsers(p.ctx, rows));
      if (options.json) printJson(report);
      else {
        print(paint('green', `${report.imported} user(s) imported.`));
        for (const s of report.skipped) print(`  row ${s.row} ${s.email || '-'}: ${s.reason}`);
      }
      if (report.skipped.length > 0) process.exitCode = 1;
    });
}
