import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cliSite, type CliSite } from '../helpers/cli-site.js';
import { KEY, runCliOnPty } from '../helpers/pty.js';

describe('the CLI at a terminal (pseudo-terminal)', () => {
  let site: CliSite;
  before(async () => {
    site = await cliSite('sqlite');
    assert.equal(site.run(['setup']).code, 0);
  });
  after(() => site.close());

  const clientsNamed = (name: string) =>
    site
      .json<Array<{ name: string }>>(['list', '--revoked', '--json'])
      .filter((c) => c.name === name);

  test('create without options asks for the name, type, redirect URIs and public flag', async () => {
    const session = runCliOnPty(['create'], { cwd: site.cwd });
    await session.waitFor(/Client name/);
    session.type('Prompted App' + KEY.enter);
    await session.waitFor(/What kind of client/);
    session.type(KEY.enter); // the first choice: authorization code
    await session.waitFor(/Redirect URI/);
    session.type('ftp://nope' + KEY.enter);
    await session.waitFor(/https, http on localhost, or an app scheme/);
    // Clear the refused answer before typing a good one.
    session.type('\x7f'.repeat(10) + 'https://prompted.example/cb' + KEY.enter);
    await session.waitFor(/Public client/);
    session.type(KEY.enter); // default: No
    assert.equal(await session.exited, 0, session.plain());
    assert.match(session.plain(), /Client secret\s+\S{43}/);
    const [made] = site
      .json<Array<Record<string, unknown>>>(['list', '--json'])
      .filter((c) => c.name === 'Prompted App');
    assert.equal(made?.type, 'authorization_code');
    assert.deepEqual(made?.redirect_uris, ['https://prompted.example/cb']);
    assert.equal(made?.confidential, true);
  });

  test('with the name given, only the missing redirect URI is asked', async () => {
    const session = runCliOnPty(['create', '--name=Named App'], { cwd: site.cwd });
    await session.waitFor(/Redirect URI/);
    session.type('https://named.example/cb, com.example.app:/cb' + KEY.enter);
    assert.equal(await session.exited, 0, session.plain());
    assert.doesNotMatch(session.plain(), /Client name|What kind|Public client/);
    const [made] = site
      .json<Array<Record<string, unknown>>>(['list', '--json'])
      .filter((c) => c.name === 'Named App');
    assert.deepEqual(made?.redirect_uris, ['https://named.example/cb', 'com.example.app:/cb']);
  });

  test('choosing client credentials skips the redirect question; full flags ask nothing', async () => {
    const asked = runCliOnPty(['create'], { cwd: site.cwd });
    await asked.waitFor(/Client name/);
    asked.type('Prompted Service' + KEY.enter);
    await asked.waitFor(/What kind of client/);
    asked.type(KEY.down + KEY.enter);
    assert.equal(await asked.exited, 0, asked.plain());
    assert.doesNotMatch(asked.plain(), /Redirect URI/);
    assert.equal(clientsNamed('Prompted Service').length, 1);

    const flags = runCliOnPty(['create', '--name=Flags Only', '--type=client_credentials'], {
      cwd: site.cwd,
    });
    assert.equal(await flags.exited, 0, flags.plain());
    assert.doesNotMatch(flags.plain(), /◆/, 'no prompt at all');
    assert.equal(clientsNamed('Flags Only').length, 1);
  });

  test('Ctrl-C at a prompt creates nothing and exits 1', async () => {
    const session = runCliOnPty(['create'], { cwd: site.cwd });
    await session.waitFor(/Client name/);
    session.type('Half Done');
    session.type(KEY.ctrlC);
    assert.equal(await session.exited, 1);
    assert.match(session.plain(), /aborted: no client created/);
    assert.equal(clientsNamed('Half Done').length, 0);
  });

  test('delete asks first; the default answer (No) keeps the client', async () => {
    const { id } = site.json<{ id: string }>([
      'create',
      '--type=client_credentials',
      '--name=Keep Me',
      '--json',
    ]);
    const session = runCliOnPty(['delete', `--id=${id}`], { cwd: site.cwd });
    await session.waitFor(/Delete client .* and all its tokens\?/);
    session.type(KEY.enter);
    assert.equal(await session.exited, 1);
    assert.match(session.plain(), /aborted: nothing was changed/);
    assert.equal(clientsNamed('Keep Me').length, 1);

    const yes = runCliOnPty(['delete', `--id=${id}`], { cwd: site.cwd });
    await yes.waitFor(/Delete client/);
    yes.type('y' + KEY.enter);
    assert.equal(await yes.exited, 0, yes.plain());
    assert.equal(clientsNamed('Keep Me').length, 0);
  });

  test('a long prune asks with the counts, then shows its progress', async () => {
    const { id } = site.json<{ id: string }>([
      'create',
      '--type=client_credentials',
      '--name=Bulk',
      '--json',
    ]);
    const server = await site.server();
    const long_ago = Date.now() - 86_400_000;
    await server.portcullis.db
      .insertInto('access_tokens')
      .values(
        Array.from({ length: 1500 }, (_, i) => ({
          jti: `01J${String(i).padStart(23, '0')}`,
          kind: 'access',
          client_id: id,
          user_id: null,
          name: null,
          scopes: '[]',
          authorization_code_id: null,
          refresh_family_id: null,
          grant_type: 'client_credentials',
          expires_at: long_ago,
          revoked_at: null,
          created_at: long_ago - 3_600_000,
        })),
      )
      .execute();
    const session = runCliOnPty(['tokens:prune', '--batch-size=100'], { cwd: site.cwd });
    await session.waitFor(/Delete 1500 access tokens\?/);
    session.type('y' + KEY.enter);
    assert.equal(await session.exited, 0, session.plain());
    // The progress bar's closing line; without a terminal there is no bar at all.
    assert.match(session.plain(), /◇\s+Pruned 1500 rows/, 'a progress bar ran');
    assert.match(session.plain(), /Pruned 1500 access tokens\./);
    assert.equal(site.json<{ total: number }>(['tokens:prune', '--force', '--json']).total, 0);
  });

  test('colours on a terminal, none with NO_COLOR', async () => {
    const coloured = runCliOnPty(['list'], { cwd: site.cwd });
    assert.equal(await coloured.exited, 0);
    assert.match(coloured.raw(), /\x1b\[1mID\s/, 'bold table header on a terminal');
    const plain = runCliOnPty(['list'], { cwd: site.cwd, env: { NO_COLOR: '1' } });
    assert.equal(await plain.exited, 0);
    assert.match(plain.raw(), /ID\s+NAME/);
    assert.doesNotMatch(plain.raw(), /\x1b\[1m/, 'NO_COLOR: no colour codes');
  });
});
