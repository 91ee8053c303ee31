import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { cliSite, type CliSite } from '../helpers/cli-site.js';
import { testDialects } from '../helpers/dialects.js';
import { basic, postForm } from '../helpers/oauth-inject.js';
import { followSigningKey } from '../../src/runtime/follow-signing-key.js';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

for (const dialect of await testDialects()) {
  describe(`key commands through the built CLI (${dialect})`, () => {
    let site: CliSite;
    let setupKid: string;
    before(async () => {
      site = await cliSite(dialect);
      const setup = site.run(['setup', '--json']);
      assert.equal(setup.code, 0, setup.stderr);
      setupKid = JSON.parse(setup.stdout).signing_key.kid;
    });
    after(() => site.close());

    const keyDir = () => join(site.cwd, 'storage', 'oauth2');
    const privatePath = () => join(keyDir(), 'oauth-private.key');
    const publicPath = () => join(keyDir(), 'oauth-public.key');
    const keyFiles = () => ({
      privatePem: readFileSync(privatePath(), 'utf8'),
      publicPem: readFileSync(publicPath(), 'utf8'),
    });
    const mode = (path: string) => `0${(statSync(path).mode & 0o777).toString(8)}`;
    const signingKid = () => site.json(['keys', '--json']).signing_kid as string;
    const assertOneLine = (stderr: string) => {
      assert.equal(stderr.split('\n').length, 2, `one line on stderr: ${stderr}`);
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace without --debug');
    };

    test('keys shows the key files (0600/0644) and the one signing key setup made', () => {
      const status = site.json(['keys', '--json']);
      assert.equal(status.source, 'files');
      assert.equal(status.private_key.present, true);
      assert.equal(status.private_key.mode, '0600');
      assert.equal(status.public_key.present, true);
      assert.equal(status.public_key.mode, '0644');
      assert.equal(status.local_kid, setupKid);
      assert.equal(status.signing_kid, setupKid);
      assert.equal(status.keys.length, 1);
      const [key] = status.keys;
      assert.equal(key.kid, setupKid);
      assert.equal(key.alg, 'RS256');
      assert.equal(key.status, 'active');
      assert.equal(key.signing, true);
      assert.match(key.created_at, ISO);
      assert.equal(key.verify_until, null);

      const human = site.run(['keys']);
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout, new RegExp(`^\\s+Signing kid\\s+${setupKid}$`, 'm'));
      assert.match(human.stdout, new RegExp(`^${setupKid}\\s+RS256\\s+signing\\s`, 'm'));
      assert.doesNotMatch(human.stdout, /not the active key/);
    });

    test('keys:generate refuses to overwrite an existing key without --force', () => {
      const original = keyFiles();
      const refused = site.run(['keys:generate']);
      assert.equal(refused.code, 1, refused.stderr);
      assert.match(
        refused.stderr,
        /^portcullis: \S*oauth-private\.key already exists \(use --force to overwrite\)\n$/,
      );
      assertOneLine(refused.stderr);
      assert.equal(refused.stdout, '');
      assert.deepEqual(keyFiles(), original, 'key files unchanged');
      assert.equal(signingKid(), setupKid, 'the signing key is unchanged');
    });

    test('keys:generate --force writes a new key pair and keeps the old public key', () => {
      const oldKid = signingKid();
      const old = keyFiles();
      const result = site.run(['keys:generate', '--force', '--algorithm=ES256', '--json']);
      assert.equal(result.code, 0, result.stderr);
      const generated = JSON.parse(result.stdout);
      assert.notEqual(generated.kid, oldKid);
      assert.equal(generated.alg, 'ES256');
      assert.equal(generated.previous_kid, oldKid);
      assert.match(generated.previous_verifiable_until, ISO);

      const now = keyFiles();
      assert.notEqual(now.privatePem, old.privatePem, 'private key rewritten');
      assert.notEqual(now.publicPem, old.publicPem, 'public key rewritten');
      assert.match(now.privatePem, /^-----BEGIN PRIVATE KEY-----\n/);
      assert.equal(mode(privatePath()), '0600');
      assert.equal(mode(publicPath()), '0644');
      const kept = join(keyDir(), `oauth-public-${oldKid}.key`);
      assert.equal(readFileSync(kept, 'utf8'), old.publicPem, 'old public PEM kept by kid');

      const status = site.json(['keys', '--json']);
      assert.equal(status.local_kid, generated.kid);
      assert.equal(status.signing_kid, generated.kid);
      assert.deepEqual(
        status.keys.map((k: { kid: string; alg: string; signing: boolean }) => [
          k.kid,
          k.alg,
          k.signing,
        ]),
        [
          [generated.kid, 'ES256', true],
          [oldKid, 'RS256', false],
        ],
      );
      assert.equal(status.keys[1].status, 'retired');
      assert.equal(status.keys[1].verify_until, generated.previous_verifiable_until);
    });

    test('keys:rotate under a running server: old tokens stay valid, the server follows the new key', async () => {
      const server = await site.server();
      const oldKid = signingKid();
      assert.equal(
        server.portcullis.ctx.keys.signing.kid,
        oldKid,
        'server signs with the file key',
      );
      const client = site.json(['create', '--type=client_credentials', '--name=x', '--json']);
      const auth = { authorization: basic(client.id, client.client_secret) };
      const issue = async () => {
        // The server caches clients for a second: move its clock past that.
        server.clock.advance(2000);
        const response = await postForm(
          server.app,
          '/oauth/token',
          { grant_type: 'client_credentials' },
          auth,
        );
        assert.equal(response.statusCode, 200, response.body);
        return response.json().access_token as string;
      };
      const active = async (token: string) =>
        (await postForm(server.app, '/oauth/introspect', { token }, auth)).json().active as boolean;
      const health = () => server.app.inject({ method: 'GET', url: '/health' });

      const oldToken = await issue();
      assert.equal(decodeProtectedHeader(oldToken).kid, oldKid);
      assert.equal((await health()).statusCode, 200);

      const rotated = site.json(['keys:rotate', '--json']);
      assert.notEqual(rotated.kid, oldKid);
      assert.equal(rotated.previous_kid, oldKid);
      assert.equal(rotated.alg, 'RS256', 'the configured algorithm by default');
      assert.equal(signingKid(), rotated.kid);
      assert.equal(await active(oldToken), true, 'a token signed before rotation stays active');

      assert.equal(await server.portcullis.ctx.keys.signingKeyActive(), false);
      const probe = await health();
      assert.equal(probe.statusCode, 200, 'the health probe adopts the rotated key: no gap');
      assert.equal(await server.portcullis.ctx.keys.signingKeyActive(), true);
      assert.equal(await followSigningKey(server.portcullis), false, 'nothing left to switch');
      const afterRotation = await issue();
      const header = decodeProtectedHeader(afterRotation);
      assert.equal(header.kid, rotated.kid);
      assert.equal(header.alg, 'RS256');
      assert.equal(await active(afterRotation), true);
      assert.equal(await active(oldToken), true, 'still active after the switch');
      assert.equal(await followSigningKey(server.portcullis), false, 'nothing more to follow');

      const jwks = await server.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
      assert.equal(jwks.statusCode, 200);
      const kids = (jwks.json().keys as Array<{ kid: string }>).map((k) => k.kid);
      assert.deepEqual(kids.slice(0, 2), [rotated.kid, oldKid], 'new key first, then the old');

      // Without a health probe, the server's own periodic check switches it.
      const again = site.json(['keys:rotate', '--json']);
      assert.equal(await followSigningKey(server.portcullis), true);
      assert.equal(decodeProtectedHeader(await issue()).kid, again.kid);
    });

    test('keys:rotate refuses when the key comes from PORTCULLIS_PRIVATE_KEY', () => {
      const kid = signingKid();
      const files = keyFiles();
      for (const args of [['keys:rotate'], ['keys:generate', '--force']]) {
        const refused = site.run(args, { PORTCULLIS_PRIVATE_KEY: files.privatePem });
        assert.equal(refused.code, 1, `${args.join(' ')}: ${refused.stderr}`);
        assert.equal(
          refused.stderr,
          'portcullis: the signing key comes from the environment (PORTCULLIS_PRIVATE_KEY): rotate it there\n',
        );
      }
      assert.deepEqual(keyFiles(), files, 'key files unchanged');
      assert.equal(signingKid(), kid, 'the signing key is unchanged');
    });

    test('bad usage: an unsupported algorithm exits 2 and changes nothing', () => {
      const files = keyFiles();
      const kid = signingKid();
      for (const args of [
        ['keys:generate', '--force', '--algorithm=HS256'],
        ['keys:rotate', '--algorithm=HS256'],
      ]) {
        const bad = site.run(args);
        assert.equal(bad.code, 2, `${args.join(' ')}: ${bad.stderr}`);
        assert.match(
          bad.stderr,
          /^portcullis: option '--algorithm <alg>' argument 'HS256' is invalid[^\n]*\n$/,
        );
        assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
      }
      assert.deepEqual(keyFiles(), files);
      assert.equal(signingKid(), kid);
    });
  });
}
