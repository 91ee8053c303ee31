import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { basic, postForm } from '../helpers/oauth-inject.js';

describe('POST /oauth/token', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('client_secret_post works like client_secret_basic', async () => {
    const { client, secret } = await server.createClient({
      kind: 'client_credentials',
      scopes: ['users:*', 'email'],
    });
    const response = await postForm(server.app, '/oauth/token', {
      grant_type: 'client_credentials',
      client_id: client.id,
      client_secret: secret!,
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['cache-control'], 'no-store');
  });

  test('Basic credentials are form-decoded (RFC 6749 §2.3.1)', async () => {
    const { client, secret } = await server.createClient({
      kind: 'client_credentials',
      scopes: ['users:*', 'email'],
    });
    // base64url secrets contain - and _, which survive encoding; the header must still decode.
    const response = await postForm(
      server.app,
      '/oauth/token',
      { grant_type: 'client_credentials' },
      { authorization: basic(client.id, secret!) },
    );
    assert.equal(response.statusCode, 200);
  });

  test('an unknown client and a wrong secret get the same 401 invalid_client', async () => {
    const { client } = await server.createClient({
      kind: 'client_credentials',
      scopes: ['users:*', 'email'],
    });
    const wrong = await postForm(
      server.app,
      '/oauth/token',
      { grant_type: 'client_credentials' },
      { authorization: basic(client.id, 'x') },
    );
    const unknown = await postForm(
      server.app,
      '/oauth/token',
      { grant_type: 'client_credentials' },
      { authorization: basic('01JUNKNOWN0000000000000000', 'x') },
    );
    for (const response of [wrong, unknown]) {
      assert.equal(response.statusCode, 401);
      assert.equal(response.headers['www-authenticate'], 'Basic realm="portcullis"');
    }
    assert.deepEqual(wrong.json(), unknown.json());
  });

  test('two authentication methods at once are invalid_request', async () => {
    const { client, secret } = await server.createClient({
      kind: 'client_credentials',
      scopes: ['users:*', 'email'],
    });
    const response = await postForm(
      server.app,
      '/oauth/token',
      { grant_type: 'client_credentials', client_secret: secret! },
      { authorization: basic(client.id, secret!) },
    );
    assert.equal(response.json().error, 'invalid_request');
  });

  test('an unknown grant type is unsupported_grant_type; a grant the client lacks is unauthorized_client', async () => {
    const { client, secret } = await server.createClient({
      kind: 'client_credentials',
      scopes: ['users:*', 'email'],
    });
    const auth = { authorization: basic(client.id, secret!) };
    const unknown = await postForm(
      server.app,
      '/oauth/token',
      { grant_type: 'urn:example:magic' },
      auth,
    );
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().error, 'unsupported_grant_type');
    const password = await postForm(
      server.app,
      '/oauth/token',
      { grant_type: 'password', username: 'a@b.c', password: 'x' },
      auth,
    );
    assert.equal(password.json().error, 'unauthorized_client');
  });

  test('scopes outside the client’s allowance or unknown are invalid_scope', async () => {
    const { client, secret } = await server.createClient({
      kind: 'client_credentials',
      scopes: ['users:read'],
    });
    const auth = { authorization: basic(client.id, secret!) };
    const allowed = await postForm(
      server.app,
      '/oauth/token',
      { grant_type: 'client_credentials', scope: 'users:read' },
      auth,
    );
    assert.equal(allowed.json().scope, 'users:read');
    const notAllowed = await postForm(
      server.app,
      '/oauth/token',
      { grant_type: 'client_credentials', scope: 'users:write' },
      auth,
    );
    assert.equal(notAllowed.json().error, 'invalid_scope');
    const unknown = await postForm(
      server.app,
      '/oauth/token',
      { grant_type: 'client_credentials', scope: 'nope:nope' },
      auth,
    );
    assert.equal(unknown.json().error, 'invalid_scope');
  });

  test('a client allowed `users:*` may be granted each users scope (one wildcard matcher)', async () => {
    const { client, secret } = await server.createClient({
      kind: 'client_credentials',
      scopes: ['users:*'],
    });
    const response = await postForm(
      server.app,
      '/oauth/token',
      { grant_type: 'client_credentials', scope: 'users:read users:write' },
      { authorization: basic(client.id, secret!) },
    );
    assert.equal(response.json().scope, 'users:read users:write');
  });

  test('a public client cannot use client_credentials or skip authentication', async () => {
    const { client } = await server.createClient({ kind: 'authorization_code', public: true });
    const response = await postForm(server.app, '/oauth/token', {
      grant_type: 'client_credentials',
      client_id: client.id,
    });
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().error, 'invalid_client');
  });

  test('password grant: wrong password and unknown user look the same', async () => {
    const { client, secret } = await server.createClient({ kind: 'password' });
    const user = await server.createUser();
    const auth = { authorization: basic(client.id, secret!) };
    const wrong = await postForm(
      server.app,
      '/oauth/token',
      { grant_type: 'password', username: user.email, password: 'nope-nope-nope' },
      auth,
    );
    const unknown = await postForm(
      server.app,
      '/oauth/token',
      { grant_type: 'password', username: 'ghost@example.com', password: 'nope-nope-nope' },
      auth,
    );
    assert.equal(wrong.statusCode, 400);
    assert.deepEqual(wrong.json(), unknown.json());
    const ok = await postForm(
      server.app,
      '/oauth/token',
      { grant_type: 'password', username: user.email.toUpperCase(), password: user.password },
      auth,
    );
    assert.equal(ok.statusCode, 200, 'email match is case-insensitive');
  });

  test('a JSON body or an oversized field is a clean 4xx, never a 500', async () => {
    const { client, secret } = await server.createClient({
      kind: 'client_credentials',
      scopes: ['users:*', 'email'],
    });
    const huge = await postForm(
      server.app,
      '/oauth/token',
      { grant_type: 'client_credentials', scope: 'x'.repeat(10_000) },
      { authorization: basic(client.id, secret!) },
    );
    assert.equal(huge.statusCode, 400);
    assert.equal(huge.json().error, 'invalid_request');
    const garbage = await server.app.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    assert.ok(garbage.statusCode >= 400 && garbage.statusCode < 500, String(garbage.statusCode));
  });
});
