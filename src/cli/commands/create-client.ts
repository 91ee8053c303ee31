import { Command, Option } from 'commander';
import { cancel, confirm, isCancel, select, text } from '@clack/prompts';
import { createClient } from '../../core/clients/create-client.js';
import { CLIENT_KINDS, type ClientKind } from '../../core/clients/client.js';
import { isRegistrableRedirectUri } from '../../core/clients/redirect-uri.js';
import { parseScope } from '../../core/scopes/match.js';
import { UsageError, withPortcullis } from '../open.js';
import { AbortedError, canPrompt } from '../confirm.js';
import { formatFields, formatSecret, paint, print, printJson } from '../output.js';
import { clientFields, clientView } from './client-view.js';

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

export const collect = (value: string, previous: string[]) => [...previous, value];

/** `--scopes "a b"` or `--scopes a,b`. */
export const scopeList = (value: string) => parseScope(value.replace(/,/g, ' '));

const KIND_LABELS: Record<ClientKind, string> = {
  authorization_code: 'Web or mobile app (authorization code + PKCE)',
  client_credentials: 'Service / machine-to-machine (client credentials)',
  password: 'First-party app collecting passwords (password grant)',
  personal_access: 'Personal access tokens',
};

function answered<T>(value: T): Exclude<T, symbol> {
  if (isCancel(value)) {
    cancel('No client created.');
    throw new AbortedError('aborted: no client created');
  }
  return value as Exclude<T, symbol>;
}

/** Asks for what the flags left out (only on a terminal). */
async function promptMissing(options: CreateOptions, kindGiven: boolean): Promise<void> {
  options.name ??= answered(
    await text({
      message: 'Client name',
      placeholder: 'My App',
      validate: (v) => (v?.trim() ? undefined : 'a name is required'),
    }),
  );
  if (!kindGiven) {
    options.type = answered(
      await select<ClientKind>({
        message: 'What kind of client?',
        options: CLIENT_KINDS.map((kind) => ({ value: kind, label: KIND_LABELS[kind] })),
      }),
    );
  }
  if ((options.type ?? 'authorization_code') !== 'authorization_code') return;
  if (options.redirect.length === 0) {
    const answer = answered(
      await text({
        message: 'Redirect URI(s), comma separated',
        placeholder: 'https://myapp.com/callback',
        validate: (v) =>
          (v ?? '')
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
            .every(isRegistrableRedirectUri) && v?.trim()
            ? undefined
            : 'https, http on localhost, or an app scheme (com.example.app:/callback)',
      }),
    );
    options.redirect = answer
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  if (options.public === undefined) {
    options.public = answered(
      await confirm({
        message: 'Public client (SPA or native app: no secret, PKCE)?',
        initialValue: false,
      }),
    );
  }
}

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
Without --name on a terminal, asks for the name, type and redirect URIs.

Examples:
  $ portcullis create
  $ portcullis create --name="My App" --redirect="https://myapp.com/callback"
  $ portcullis create --personal --name="Personal Tokens"
  $ portcullis create --password-client --name="Mobile App"
  $ portcullis create --type=client_credentials --name="Service Client" --scopes="users:read"`,
    )
    .action(async (options: CreateOptions, command: Command) => {
      const kindGiven = Boolean(options.personal || options.passwordClient || options.type);
      if (!options.name) {
        if (!canPrompt()) throw new UsageError('--name is required (no terminal to ask)');
        await promptMissing(options, kindGiven);
      }
      const kind: ClientKind = options.personal
        ? 'personal_access'
        : options.passwordClient
          ? 'password'
          : (options.type ?? 'authorization_code');
      const created = await withPortcullis(command, (p) =>
        createClient(p.ctx, {
          name: options.name!,
          kind,
          public: options.public === true,
          redirectUris: options.redirect,
          skipConsent: options.firstParty === true,
          ...(options.scopes ? { scopes: scopeList(options.scopes) } : {}),
        }),
      );
      if (options.json) {
        printJson({ ...clientView(created.client), client_secret: created.secret });
        return;
      }
      print(paint('green', 'Client created.'));
      print(formatFields(clientFields(created.client)));
      if (created.secret) {
        print();
        print(formatSecret('Client secret', created.secret));
      }
    });
}
