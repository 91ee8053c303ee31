import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { startTestServer } from '../helpers/server.js';
import { basic, postForm } from '../helpers/oauth-inject.js';

describe('signing algorithms', () => {
  for (const algorithm of ['RS256', 'ES256', 'EdDSA'] as const) {
    test(`${algorithm}: tokens verify against the published JWKS and introspect active`, async () => {
      const server = await startTestServer({
        listen: true,
        config: { signingAlgorithm: algorithm },
      });
      try {
        const { client, secret } = await server.createClient({
          kind: 'client_credentials',
          scopes: ['users:*', 'email'],
        });
        const auth = { authorization: basic(client.id, secret!) };
        const token = (
          await postForm(server.app, '/oauth/token', { grant_type: 'client_credentials' }, auth)
        ).json().access_token;
        assert.equal(decodeProtectedHeader(token).alg, algorithm);
        // What a resource server does: verify locally with the remote JWKS.
        const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
        const { payload } = await jwtVerify(token, jwks, {
          issuer: server.url,
          audience: server.url,
          typ: 'at+jwt',
          currentDate: new Date(server.clock.now()),
        });
        assert.equal(payload.client_id, client.id);
        assert.equal(
          (await postForm(server.app, '/oauth/introspect', { token }, auth)).json().active,
          true,
        );
        const discovery = (await server.app.inject('/.well-known/openid-configuration')).json();
        assert.deepEqual(discovery.id_token_signing_alg_values_supported, [algorithm]);
      } finally {
        await server.close();
      }
    });
  }
});
