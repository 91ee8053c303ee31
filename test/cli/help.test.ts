import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { runCli } from '../helpers/cli.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Commands that change things or run a server; every other command is a read with `--json`. */
const NOT_READS = new Set(['serve']);

function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  command.outputHelp();
  return text;
}

describe('CLI help and machine-readable output', () => {
  const program = buildProgram();

  test('every command has a description and --help with at least one example', () => {
    assert.ok(program.commands.length >= 25, `${program.commands.length} commands`);
    for (const command of program.commands) {
      assert.ok(command.description().length > 10, `${command.name()} has a description`);
      const help = helpOf(command);
      assert.match(
        help,
        /Examples?:\n\s+\$ portcullis /,
        `${command.name()} --help shows an example`,
      );
    }
  });

  test('every command but serve accepts --json', () => {
    for (const command of program.commands) {
      if (NOT_READS.has(command.name())) continue;
      assert.ok(
        command.options.some((o) => o.long === '--json'),
        `${command.name()} has --json`,
      );
    }
  });

  test("the seed document's commands all exist under their Passport names", () => {
    const names = new Set(program.commands.map((c) => c.name()));
    for (const name of [
      'setup',
      'install',
      'migrate',
      'purge',
      'keys',
      'keys:generate',
      'keys:rotate',
      'create',
      'list',
      'show',
      'update',
      'secret',
      'revoke',
      'restore',
      'delete',
      'scopes',
      'scopes:create',
      'scopes:delete',
      'tokens',
      'tokens:prune',
      'tokens:revoke',
      'tokens:stats',
      'status',
      'health',
      'stats',
    ]) {
      assert.ok(names.has(name), `${name} exists`);
    }
  });

  test('--help through the binary exits 0; --version prints the package version', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'portcullis-help-'));
    try {
      const help = runCli(['passport', 'tokens:prune', '--help'], { cwd });
      assert.equal(help.code, 0);
      assert.match(help.stdout, /Usage: portcullis tokens:prune \[options\]/);
      assert.match(help.stdout, /--force/);
      const top = runCli(['--help'], { cwd });
      assert.equal(top.code, 0);
      assert.match(top.stdout, /Passport spellings work too/);
      const version = runCli(['--version'], { cwd });
      assert.equal(version.code, 0);
      assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
