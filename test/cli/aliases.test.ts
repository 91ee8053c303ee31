import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { expandAliases } from '../../src/cli/aliases.js';
import { buildProgram } from '../../src/cli/program.js';
import { cliSite, type CliSite } from '../helpers/cli-site.js';

const commands = new Set(buildProgram().commands.map((c) => c.name()));
const expand = (line: string) => expandAliases(line.split(' '), commands).join(' ');

describe('Passport and noun-verb spellings', () => {
  test('every spelling of the seed document maps to our command', () => {
    const cases: Array<[string, string]> = [
      ['passport setup', 'setup'],
      ['passport install', 'install'],
      ['passport keys:generate --force', 'keys:generate --force'],
      ['passport create --name=x', 'create --name=x'],
      ['passport list --revoked', 'list --revoked'],
      ['passport tokens:prune --force', 'tokens:prune --force'],
      ['passport:client create', 'create'],
      ['passport:client', 'create'],
      ['oauth:client list', 'list'],
      ['oauth2 status', 'status'],
      ['passport:install', 'install'],
      ['passport:purge --force', 'purge --force'],
      ['passport:keys --force', 'keys:generate --force'],
      ['clients create --name=x', 'create --name=x'],
      ['clients', 'list'],
      ['clients show --id=1', 'show --id=1'],
      ['keys generate', 'keys:generate'],
      ['keys rotate --json', 'keys:rotate --json'],
      ['tokens prune --force', 'tokens:prune --force'],
      ['tokens stats', 'tokens:stats'],
      ['scopes create --scope=a', 'scopes:create --scope=a'],
      ['users create --email=a', 'users:create --email=a'],
      ['passport keys generate', 'keys:generate'],
    ];
    for (const [typed, canonical] of cases) assert.equal(expand(typed), canonical, typed);
  });

  test("Laravel's passport:client flags, global options before the command, and real commands untouched", () => {
    assert.equal(
      expand('passport:client --password --name=m'),
      'create --password-client --name=m',
    );
    assert.equal(
      expand('passport:client --client --name=s'),
      'create --type client_credentials --name=s',
    );
    assert.equal(expand('--config c.json passport list'), '--config c.json list');
    assert.equal(expand('--debug oauth2 status'), '--debug status');
    assert.equal(expand('keys --json'), 'keys --json', 'a bare noun that is a command stays');
    assert.equal(expand('tokens --id=1'), 'tokens --id=1');
    assert.equal(expand('users:create --password=secret'), 'users:create --password=secret');
    assert.equal(
      expand('keys bogus'),
      'keys bogus',
      'an unknown verb is left for commander to reject',
    );
  });
});

describe('aliases through the built CLI (SQLite)', () => {
  let site: CliSite;
  before(async () => {
    site = await cliSite('sqlite');
  });
  after(() => site.close());

  test('the seed document runs as written, with portcullis in place of python artisan.py passport', () => {
    const steps: Array<[string[], RegExp]> = [
      [['passport', 'setup'], /Portcullis is set up/],
      [['passport', 'install'], /Password Grant Client/],
      [['passport', 'keys:generate', '--force'], /Generated RS256 signing key/],
      [['passport', 'keys'], /Signing kid/],
      [
        ['passport', 'create', '--name=My App', '--redirect=https://myapp.com/callback'],
        /Client secret/,
      ],
      [['passport', 'create', '--personal', '--name=Personal Tokens'], /personal_access/],
      [['passport', 'create', '--password-client', '--name=Mobile App'], /password/],
      [
        ['passport', 'create', '--type=client_credentials', '--name=Service Client'],
        /client_credentials/,
      ],
      [['passport', 'list'], /Service Client/],
      [['passport', 'list', '--revoked'], /Service Client/],
      [['passport', 'scopes'], /openid/],
      [['passport', 'scopes:create', '--scope=custom'], /Scope custom created/],
      [['passport', 'scopes:delete', '--scope=custom'], /Scope custom deleted/],
      [['passport', 'tokens:prune', '--force'], /Nothing to prune/],
      [['passport', 'tokens:stats'], /Access tokens by client and grant/],
      [['passport', 'status'], /Portcullis \d+\.\d+\.\d+/],
      [['passport', 'health'], /Healthy/],
      [['passport', 'stats'], /Clients\s+\d+ active/],
      [
        ['passport:client', 'create', '--name=Legacy', '--redirect=https://legacy.example/cb'],
        /Client created/,
      ],
      [['oauth:client', 'list'], /Legacy/],
      [['oauth2', 'status'], /Signing key/],
      [['clients', 'create', '--name=Noun', '--type=client_credentials'], /Client created/],
      [['keys', 'generate', '--force'], /Generated/],
      [['tokens', 'prune', '--force'], /Nothing to prune/],
    ];
    let id = '';
    for (const [args, expected] of steps) {
      const result = site.run(args);
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stdout, expected, args.join(' '));
      id ||= /Client ID\s+(\S+)/.exec(result.stdout)?.[1] ?? '';
    }
    for (const args of [
      ['passport', 'show', `--id=${id}`],
      ['passport', 'update', `--id=${id}`, '--name=New Name'],
      ['passport', 'secret', `--id=${id}`],
      ['passport', 'tokens', `--id=${id}`],
      ['passport', 'tokens:revoke', `--id=${id}`],
      ['passport', 'revoke', `--id=${id}`],
      ['passport', 'restore', `--id=${id}`],
      ['passport', 'delete', `--id=${id}`, '--force'],
    ]) {
      const result = site.run(args);
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
    }
    const purge = site.run(['passport', 'purge', '--force']);
    assert.equal(purge.code, 0, purge.stderr);
    assert.match(purge.stdout, /Purged/);
  });

  test('an unknown command exits 2 and says so', () => {
    const result = site.run(['passport', 'frobnicate']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown command 'frobnicate'/);
  });
});
