import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { basic } from '../helpers/oauth-inject.js';
import { obtainCode } from '../helpers/code-flow.js';

describe('CORS for single-page apps', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const APP = 'https://app.example.com'; // the origin of obtainCode's redirect URI

  test('discovery and JWKS are readable from any origin', async () => {
    for (const url of ['/.well-known/openid-configuration', '/.well-known/jwks.json']) {
      const response = await server.app.inject({
        url,
        headers: { origin: 'https://anyone.example' },
      });
      assert.equal(response.headers['access-control-allow-origin'], '*');
    }
  });

  test('a preflight to the token endpoint is answered', async () => {
    const response = await server.app.inject({
      method: 'OPTIONS',
      url: '/oauth/token',
      headers: {
        origin: APP,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    assert.equal(response.statusCode, 204);
    assert.equal(response.headers['access-control-allow-origin'], APP);
    assert.match(String(response.headers['access-control-allow-methods']), /POST/);
  });

  test("token responses are readable only by the client's own redirect origin", async () => {
    const flow = await obtainCode(server);
    const exchange = (origin: string) =>
      server.app.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: {
          origin,
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(flow.client.id, flow.secret),
        },
        payload: new URLSearchParams({
          grant_type: 'authorization_code',
          code: flow.code,
          redirect_uri: 'https://app.example.com/callback',
          code_verifier: flow.verifier,
        }).toString(),
      });
    const fromApp = await exchange(APP);
    assert.equal(fromApp.statusCode, 200);
    assert.equal(fromApp.headers['access-control-allow-origin'], APP);
    const fromElsewhere = await exchange('https://evil.example');
    assert.equal(
      fromElsewhere.headers['access-control-allow-origin'],
      undefined,
      'even its error is unreadable elsewhere',
    );
    assert.equal(fromElsewhere.json().error, 'invalid_grant');
  });

  test('userinfo is readable by the origin of the token’s client', async () => {
    const flow = await obtainCode(server);
    const tokens = (await flow.exchange()).json();
    const response = await server.app.inject({
      url: '/oauth/userinfo',
      headers: { origin: APP, authorization: `Bearer ${tokens.access_token}` },
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['access-control-allow-origin'], APP);
  });

  test('introspection answers no CORS headers: it is for servers', async () => {
    const response = await server.app.inject({
      method: 'OPTIONS',
      url: '/oauth/introspect',
      headers: { origin: APP, 'access-control-request-method': 'POST' },
    });
    assert.equal(response.headers['access-control-allow-origin'], undefined);
  });
});
