import { Command } from 'commander';
import { registerServe } from './commands/serve.js';
import { registerMigrate } from './commands/migrate.js';
import { registerSetup } from './commands/setup.js';
import { registerPurge } from './commands/purge.js';
import { registerKeys } from './commands/keys.js';
import { registerCreateClient } from './commands/create-client.js';
import { registerListClients } from './commands/list-clients.js';
import { registerUpdateClient } from './commands/update-client.js';
import { registerClientLifecycle } from './commands/client-lifecycle.js';
import { registerScopes } from './commands/scopes.js';
import { registerTokens } from './commands/tokens.js';
import { registerTokensMaintenance } from './commands/tokens-maintenance.js';
import { registerDiagnostics } from './commands/diagnostics.js';
import { registerCreateUser } from './commands/create-user.js';
import { registerApiKeys } from './commands/api-keys.js';
import { registerRoles } from './commands/roles.js';
import { registerUsers, registerUsersImport } from './commands/users.js';
import { registerOrganizations } from './commands/organizations.js';
import { VERSION } from './version.js';

const ALIASES_HELP = `
Passport spellings work too:
  portcullis passport <command>         portcullis passport:client create
  portcullis oauth:client list          portcullis oauth2 status
  portcullis passport:install           portcullis passport:keys (= keys:generate)
and noun-verb forms: clients create, keys generate, tokens prune, scopes create, …

Exit codes: 0 ok, 1 the operation failed, 2 bad usage or invalid input.
Docs: docs/cli.md`;

/** The `portcullis` command tree (every command registered, nothing parsed yet). */
export function buildProgram(): Command {
  const program = new Command('portcullis')
    .description('Portcullis: OAuth2 / OpenID Connect authorization server and admin CLI')
    .version(VERSION, '-v, --version')
    .option('--config <file>', 'JSON config file (default: portcullis.config.json when present)')
    .option('--debug', 'print stack traces on errors')
    .addHelpText('after', ALIASES_HELP)
    // Usage errors are one line, as every other error: `portcullis: unknown option '--x'`.
    .configureOutput({
      outputError: (text, write) => write(text.replace(/^error: /, 'portcullis: ')),
    })
    .exitOverride();
  registerServe(program);
  registerSetup(program);
  registerMigrate(program);
  registerPurge(program);
  registerKeys(program);
  registerCreateClient(program);
  registerListClients(program);
  registerUpdateClient(program);
  registerClientLifecycle(program);
  registerScopes(program);
  registerTokens(program);
  registerTokensMaintenance(program);
  registerDiagnostics(program);
  registerCreateUser(program);
  registerApiKeys(program);
  registerUsers(program);
  registerUsersImport(program);
  registerRoles(program);
  registerOrganizations(program);
  return program;
}
