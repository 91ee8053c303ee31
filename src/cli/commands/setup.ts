import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { confirm, isCancel, password, select, text } from '@clack/prompts';
import {
  installDefaultClients,
  type InstalledClient,
} from '../../core/clients/install-default-clients.js';
import type { SigningAlgorithm } from '../../core/keys/signing-key-record.js';
import { rotateSigningKey } from '../../runtime/rotate-signing-key.js';
import { syncConfiguredScopes } from '../../core/scopes/sync-scopes.js';
import { keyFiles } from '../../store/key-files.js';
import { loadCliConfig, type GlobalOptions } from '../config.js';
import { AbortedError, canPrompt } from '../confirm.js';
import { UsageError, withPortcullis } from '../open.js';
import { adminCount, ensureAdministrator } from '../../core/rbac/first-admin.js';
import { ensureAdminRole } from '../../core/rbac/manage-roles.js';
import { normalizeEmail } from '../../core/users/user.js';
import { formatFields, formatSecret, paint, print, printJson } from '../output.js';

const ALGORITHMS: SigningAlgorithm[] = ['RS256', 'ES256', 'EdDSA'];

const installedJson = (installed: InstalledClient | undefined) =>
  installed && {
    id: installed.client.id,
    name: installed.client.name,
    type: installed.client.kind,
    created: installed.created,
    client_secret: installed.secret,
  };

function printInstalled(installed: InstalledClient | undefined): void {
  if (!installed) return;
  const { client } = installed;
  print(
    `  ${installed.created ? paint('green', 'created') : 'exists '}  ${client.name}  ${client.id}`,
  );
  if (installed.secret) {
    print(formatSecret('    Client secret', installed.secret));
    print();
  }
}

function answered<T>(value: T): Exclude<T, symbol> {
  if (isCancel(value)) throw new AbortedError('aborted: setup stopped');
  return value as Exclude<T, symbol>;
}

export function registerSetup(program: Command): void {
  program
    .command('install')
    .description('Create the default clients: personal access and password grant (once)')
    .option('--json', 'print the clients as JSON')
    .addHelpText('after', '\nExample:\n  $ portcullis install')
    .action(async (options: { json?: boolean }, command: Command) => {
      // Opened unprepared, so a personal access client made now is reported as made.
      const installed = await withPortcullis(command, (p) => installDefaultClients(p.ctx), {
        prepare: false,
      });
      if (options.json) {
        return printJson({
          personal_access_client: installedJson(installed.personalAccess),
          password_client: installedJson(installed.password),
        });
      }
      printInstalled(installed.personalAccess);
      printInstalled(installed.password);
    });

  program
    .command('setup')
    .description('First-time set-up: storage, migrations, signing keys, default clients')
    .addOption(
      new Option('--algorithm <alg>', 'signing key algorithm for a new key').choices(ALGORITHMS),
    )
    .option('--no-password-client', 'do not create the password grant client')
    .option('--admin-email <email>', 'create (or promote) this administrator')
    .option(
      '--admin-password <password>',
      'password for a new administrator (or PORTCULLIS_ADMIN_PASSWORD)',
    )
    .option('--admin-name <name>', 'display name for a new administrator')
    .option('--json', 'print what was made as JSON')
    .addHelpText(
      'after',
      `
Safe to run again: it keeps existing keys and clients and makes only what is missing.
On a terminal it asks for the key algorithm, whether to create a password client and, while
nobody holds the admin role, for the first administrator's email and password.

Examples:
  $ portcullis setup
  $ portcullis setup --algorithm=ES256 --no-password-client --json
  $ PORTCULLIS_ADMIN_PASSWORD=… portcullis setup --admin-email=admin@example.com`,
    )
    .action(
      async (
        options: {
          algorithm?: SigningAlgorithm;
          passwordClient: boolean;
          adminEmail?: string;
          adminPassword?: string;
          adminName?: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        let adminEmail = options.adminEmail;
        let adminPassword = options.adminPassword ?? process.env.PORTCULLIS_ADMIN_PASSWORD;
        const config = loadCliConfig(command.optsWithGlobals<GlobalOptions>());
        const files = keyFiles(config.storageDir);
        const needsKey = !config.privateKeyPem && !existsSync(files.privatePath);
        const interactive = canPrompt() && !options.json;
        let algorithm = options.algorithm ?? config.signingAlgorithm;
        let passwordClient = options.passwordClient;
        if (interactive) {
          if (needsKey && !options.algorithm) {
            algorithm = answered(
              await select<SigningAlgorithm>({
                message: 'Signing key algorithm',
                initialValue: config.signingAlgorithm,
                options: [
                  { value: 'RS256', label: 'RS256 (RSA 2048: every client library)' },
                  { value: 'ES256', label: 'ES256 (P-256: small, fast)' },
                  { value: 'EdDSA', label: 'EdDSA (Ed25519: smallest, fastest; newer libraries)' },
                ],
              }),
            );
          }
          if (passwordClient && command.getOptionValueSource('passwordClient') !== 'cli') {
            passwordClient = answered(
              await confirm({
                message: 'Create a password grant client (first-party apps)?',
                initialValue: true,
              }),
            );
          }
        }
        mkdirSync(config.storageDir, { recursive: true });
        if (interactive && !adminEmail) {
          const needsAdmin = await withPortcullis(
            command,
            async (p) => (await adminCount(p.ctx)) === 0,
            {
              prepare: false,
            },
          );
          if (needsAdmin) {
            adminEmail =
              answered(
                await text({
                  message: 'First administrator: email (empty to skip)',
                  placeholder: 'admin@example.com',
                }),
              ).trim() || undefined;
          }
        }
        // A password is needed only for an administrator who does not exist yet.
        if (adminEmail && !adminPassword) {
          const email = adminEmail;
          const exists = await withPortcullis(
            command,
            async (p) => (await p.ctx.repos.users.findByEmail(normalizeEmail(email))) !== undefined,
            { prepare: false },
          );
          if (!exists && !interactive)
            throw new UsageError(
              `a new administrator needs --admin-password (or PORTCULLIS_ADMIN_PASSWORD) without a terminal`,
            );
          if (!exists)
            adminPassword = answered(
              await password({ message: `Password for the new administrator ${adminEmail}` }),
            );
        }
        const result = await withPortcullis(
          command,
          async (p) => {
            const key = needsKey
              ? await rotateSigningKey(p, algorithm, { mustNotExist: true })
              : undefined;
            await syncConfiguredScopes(p.ctx);
            const clients = await installDefaultClients(p.ctx, { passwordClient });
            const admin = adminEmail
              ? await ensureAdministrator(p.ctx, {
                  email: adminEmail,
                  password: adminPassword ?? '',
                  name: options.adminName ?? null,
                })
              : undefined;
            if (!admin) await ensureAdminRole(p.ctx);
            return {
              migrated: p.migrated,
              database: `${p.dialect} ${p.databaseLocation}`,
              key,
              clients,
              admin,
            };
            // Opened unprepared, so the clients made now are reported as made.
          },
          { prepare: false },
        );
        const keyLine = config.privateKeyPem
          ? 'from PORTCULLIS_PRIVATE_KEY'
          : result.key
            ? `generated ${result.key.alg} ${result.key.kid}`
            : `kept ${files.privatePath}`;
        if (options.json) {
          return printJson({
            storage: resolve(config.storageDir),
            database: result.database,
            migrations_applied: result.migrated,
            signing_key: result.key
              ? {
                  generated: true,
                  kid: result.key.kid,
                  alg: result.key.alg,
                  private_key: result.key.privateKeyPath,
                }
              : { generated: false },
            personal_access_client: installedJson(result.clients.personalAccess),
            password_client: installedJson(result.clients.password) ?? null,
            administrator: result.admin
              ? {
                  id: result.admin.user.id,
                  email: result.admin.user.email,
                  created: result.admin.created,
                }
              : null,
          });
        }
        print(paint('bold', 'Portcullis is set up.'));
        print(
          formatFields([
            ['Storage', resolve(config.storageDir)],
            ['Database', result.database],
            [
              'Migrations',
              result.migrated.length ? `applied ${result.migrated.join(', ')}` : 'up to date',
            ],
            ['Signing key', keyLine],
          ]),
        );
        print();
        print('  Clients:');
        printInstalled(result.clients.personalAccess);
        printInstalled(result.clients.password);
        if (result.admin) {
          print(
            `  Administrator: ${result.admin.created ? paint('green', 'created') : 'exists '}  ${result.admin.user.email}  ${result.admin.user.id}`,
          );
          print();
        }
        print('  Next:');
        print('    portcullis serve                         run the server');
        print('    portcullis create --name="My App" --redirect=https://myapp.example/callback');
        print('    portcullis health                        check everything');
      },
    );
}
