import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';

describe('OAUTH2_ENFORCE_HTTPS', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ config: { enforceHttps: true, trustProxy: ['127.0.0.1'] } });
  });
  after(() => server.close());

  test('refuses /oauth/* over plain HTTP with a clear error', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/oauth/token',
      remoteAddress: '10.9.9.9',
    });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error, 'invalid_request');
    assert.match(response.json().error_description, /HTTPS is required/);
  });

  test('accepts x-forwarded-proto: https from a trusted proxy only', async () => {
    const { client, secret } = await server.createClient({
      kind: 'client_credentials',
      scopes: ['users:*', 'email'],
    });
    const request = (remoteAddress: string) =>
      server.app.inject({
        method: 'POST',
        url: '/oauth/token',
        remoteAddress,
        headers: {
          'x-forwarded-proto': 'https',
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${client.id}:${secret}`).toString('base64')}`,
        },
        payload: 'grant_type=client_credentials',
      });
    assert.equal((await request('127.0.0.1')).statusCode, 200);
    assert.equal(
      (await request('10.9.9.9')).statusCode,
      400,
      'an untrusted peer cannot claim https',
    );
  });

  test('discovery and health stay reachable', async () => {
    assert.equal((await server.app.inject('/health')).statusCode, 200);
    assert.equal((await server.app.inject('/.well-known/openid-configuration')).statusCode, 200);
  });
});
