#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/load.js';
import { registerServe } from './commands/serve.js';
import { registerMigrate } from './commands/migrate.js';
import { registerCreateClient } from './commands/create-client.js';
import { registerCreateUser } from './commands/create-user.js';
import { OAuthError } from '../core/oauth/errors.js';
import { UsageError } from './open.js';

const program = new Command('portcullis')
  .description('Portcullis: OAuth2 / OpenID Connect authorization server')
  .option('--config <file>', 'JSON config file (default: portcullis.config.json when present)')
  .option('--debug', 'print stack traces on errors')
  .showHelpAfterError()
  .exitOverride();

registerServe(program);
registerMigrate(program);
registerCreateClient(program);
registerCreateUser(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  const debug = process.argv.includes('--debug');
  const message =
    error instanceof OAuthError
      ? error.description
      : error instanceof Error
        ? error.message
        : String(error);
  process.stderr.write(
    `portcullis: ${error instanceof ConfigError ? 'configuration error: ' : ''}${message}\n`,
  );
  if (debug && error instanceof Error && error.stack) process.stderr.write(error.stack + '\n');
  process.exit(error instanceof UsageError ? 2 : 1);
}
