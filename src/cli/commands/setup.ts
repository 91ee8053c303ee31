import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { confirm, isCancel, select } from '@clack/prompts';
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
import { withPortcullis } from '../open.js';
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
    .option('--json', 'print what was made as JSON')
    .addHelpText(
      'after',
      `
Safe to run again: it keeps existing keys and clients and makes only what is missing.
On a terminal it asks for the key algorithm and whether to create a password client.

Examples:
  $ portcullis setup
  $ portcullis setup --algorithm=ES256 --no-password-client --json`,
    )
    .action(
      async (
        options: { algorithm?: SigningAlgorithm; passwordClient: boolean; json?: boolean },
        command: Command,
      ) => {
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
        const result = await withPortcullis(
          command,
          async (p) => {
            const key = needsKey
              ? await rotateSigningKey(p, algorithm, { mustNotExist: true })
              : undefined;
            await syncConfiguredScopes(p.ctx);
            const clients = await installDefaultClients(p.ctx, { passwordClient });
            return {
              migrated: p.migrated,
              database: `${p.dialect} ${p.databaseLocation}`,
              key,
              clients,
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
        print('  Next:');
        print('    portcullis serve                         run the server');
        print('    portcullis create --name="My App" --redirect=https://myapp.example/callback');
        print('    portcullis health                        check everything');
      },
    );
}
