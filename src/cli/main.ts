#!/usr/bin/env node
import { CommanderError } from 'commander';
import { ConfigError } from '../config/load.js';
import { OAuthError } from '../core/oauth/errors.js';
import { InvalidInputError } from '../core/entity-errors.js';
import { expandAliases } from './aliases.js';
import { buildProgram } from './program.js';
import { UsageError } from './open.js';

const program = buildProgram();
const commands = new Set(program.commands.map((c) => c.name()));
const args = expandAliases(process.argv.slice(2), commands);

/**
 * Exit code 2 for bad usage: a missing or malformed option, or a value the core refused as
 * invalid input (a malformed id, a bad redirect URI, an unknown scope). Exit code 1 for an
 * operation that failed (not found, already exists, in use, database down).
 */
function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError || error instanceof InvalidInputError) return 2;
  if (error instanceof OAuthError)
    return error.code === 'invalid_request' || error.code === 'invalid_scope' ? 2 : 1;
  return 1;
}

try {
  await program.parseAsync(args, { from: 'user' });
} catch (error) {
  if (error instanceof CommanderError) {
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  const message =
    error instanceof OAuthError
      ? error.description
      : error instanceof Error
        ? error.message
        : String(error);
  process.stderr.write(
    `portcullis: ${error instanceof ConfigError ? 'configuration error: ' : ''}${message}\n`,
  );
  if (args.includes('--debug') && error instanceof Error && error.stack)
    process.stderr.write(error.stack + '\n');
  process.exit(exitCodeOf(error));
}
