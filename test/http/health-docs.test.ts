import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('health, docs and discovery', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('GET /health reports database and keys', async () => {
    const response = await server.app.inject('/health');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok', database: 'ok', keys: 'ok' });
  });

  test('/docs serves the OpenAPI document with the OAuth routes', async () => {
    const ui = await server.app.inject('/docs/');
    assert.equal(ui.statusCode, 200);
    const spec = (await server.app.inject('/docs/json')).json();
    for (const path of [
      '/oauth/token',
      '/oauth/introspect',
      '/oauth/revoke',
      '/oauth/userinfo',
      '/.well-known/jwks.json',
    ]) {
      assert.ok(spec.paths[path], `${path} documented`);
    }
  });

  test('both discovery documents describe the same server (RFC 8414 and OIDC)', async () => {
    const oauth = (await server.app.inject('/.well-known/oauth-authorization-server')).json();
    const oidc = (await server.app.inject('/.well-known/openid-configuration')).json();
    assert.deepEqual(oauth, oidc);
    assert.equal(oauth.issuer, server.url);
    assert.deepEqual(oauth.code_challenge_methods_supported, ['S256']);
    // Absent would mean "supported" (OIDC Discovery §3): request objects are not.
    assert.equal(oauth.request_uri_parameter_supported, false);
    assert.equal(oauth.request_parameter_supported, false);
    assert.deepEqual(oauth.grant_types_supported.sort(), [
      'authorization_code',
      'client_credentials',
      'password',
      'refresh_token',
    ]);
    assert.ok(oauth.scopes_supported.includes('openid'));
  });
});
