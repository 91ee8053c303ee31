import { Command, Option } from 'commander';
import { createClient } from '../../core/clients/create-client.js';
import { CLIENT_KINDS, type Client, type ClientKind } from '../../core/clients/client.js';
import { parseScope } from '../../core/scopes/match.js';
import { UsageError, printJson, withPortcullis } from '../open.js';

interface CreateOptions {
  name?: string;
  redirect: string[];
  personal?: boolean;
  passwordClient?: boolean;
  type?: ClientKind;
  public?: boolean;
  scopes?: string;
  firstParty?: boolean;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export const clientView = (client: Client) => ({
  id: client.id,
  name: client.name,
  type: client.kind,
  confidential: client.secretDigest !== null,
  redirect_uris: client.redirectUris,
  grant_types: client.grantTypes,
  scopes: client.scopes,
  first_party: client.skipConsent,
  revoked: client.revokedAt !== null,
  created_at: new Date(client.createdAt).toISOString(),
});

export function registerCreateClient(program: Command): void {
  program
    .command('create')
    .description('Create an OAuth client; its secret is printed once')
    .option('--name <name>', 'client name')
    .option('--redirect <uri>', 'redirect URI (repeatable)', collect, [])
    .option('--personal', 'personal access client')
    .option('--password-client', 'password grant client')
    .addOption(new Option('--type <type>', 'client type').choices(CLIENT_KINDS as string[]))
    .option('--public', 'public client (no secret, PKCE required)')
    .option('--scopes <scopes>', 'allowed scopes, space or comma separated (default: all)')
    .option('--first-party', 'your own app: users are not asked to consent')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ portcullis create --name="My App" --redirect="https://myapp.com/callback"
  $ portcullis create --personal --name="Personal Tokens"
  $ portcullis create --password-client --name="Mobile App"
  $ portcullis create --type=client_credentials --name="Service Client"`,
    )
    .action(async (options: CreateOptions, command: Command) => {
      const kind: ClientKind = options.personal
        ? 'personal_access'
        : options.passwordClient
          ? 'password'
          : (options.type ?? 'authorization_code');
      if (!options.name) throw new UsageError('--name is required');
      const created = await withPortcullis(command, (p) =>
        createClient(p.ctx, {
          name: options.name!,
          kind,
          public: options.public === true,
          redirectUris: options.redirect,
          skipConsent: options.firstParty === true,
          ...(options.scopes ? { scopes: parseScope(options.scopes.replace(/,/g, ' ')) } : {}),
        }),
      );
      if (options.json) {
        printJson({ ...clientView(created.client), client_secret: created.secret });
        return;
      }
      const lines = [
        `Client created.`,
        `  Client ID      ${created.client.id}`,
        `  Name           ${created.client.name}`,
        `  Type           ${created.client.kind}${created.secret ? '' : ' (public)'}`,
      ];
      if (created.client.redirectUris.length)
        lines.push(`  Redirect URIs  ${created.client.redirectUris.join(', ')}`);
      if (created.secret) {
        lines.push(
          `  Client secret  ${created.secret}`,
          '',
          '  Store the secret now: it is shown only once and cannot be recovered.',
        );
      }
      process.stdout.write(lines.join('\n') + '\n');
    });
}
