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

/** The kind the flags ask for, if any: `--personal`, `--password-client` or `--type`. */
const kindFromFlags = (options: CreateOptions): ClientKind | undefined =>
  options.personal ? 'personal_access' : options.passwordClient ? 'password' : options.type;

/**
 * Asks for what the flags left out (only on a terminal): the name; the kind and the public flag
 * when neither name nor kind was given; an authorization-code client's redirect URIs.
 */
async function promptMissing(
  options: CreateOptions,
  kind: ClientKind | undefined,
): Promise<ClientKind> {
  const wizard = !options.name && kind === undefined;
  options.name ??= answered(
    await text({
      message: 'Client name',
      placeholder: 'My App',
      validate: (v) => (v?.trim() ? undefined : 'a name is required'),
    }),
  );
  if (wizard) {
    kind = answered(
      await select<ClientKind>({
        message: 'What kind of client?',
        options: CLIENT_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] })),
      }),
    );
  }
  kind ??= 'authorization_code';
  if (kind !== 'authorization_code') return kind;
  if (options.redirect.length === 0) {
    const uris = (value: string | undefined) =>
      (value ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    options.redirect = uris(
      answered(
        await text({
          message: 'Redirect URI(s), comma separated',
          placeholder: 'https://myapp.com/callback',
          validate: (v) =>
            uris(v).length > 0 && uris(v).every(isRegistrableRedirectUri)
              ? undefined
              : 'https, http on localhost, or an app scheme (com.example.app:/callback)',
        }),
      ),
    );
  }
  if (wizard && options.public === undefined) {
    options.public = answered(
      await confirm({
        message: 'Public client (SPA or native app: no secret, PKCE)?',
        initialValue: false,
      }),
    );
  }
  return kind;
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
      let kind = kindFromFlags(options);
      const missingRedirect =
        (kind ?? 'authorization_code') === 'authorization_code' && options.redirect.length === 0;
      if (!options.name && !canPrompt()) {
        throw new UsageError('--name is required (no terminal to ask)');
      }
      // Without a terminal, a missing redirect URI is reported by the core's own check.
      if ((!options.name || missingRedirect) && canPrompt()) {
        kind = await promptMissing(options, kind);
      }
      const created = await withPortcullis(command, (p) =>
        createClient(p.ctx, {
          name: options.name!,
          kind: kind ?? 'authorization_code',
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
