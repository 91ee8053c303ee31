// node-oidc-provider 8 configured for the client_credentials grant: one confidential client
// (client_secret_basic), the default in-memory adapter, and JWT access tokens (RFC 9068) signed
// with --alg through a resource server returned by features.resourceIndicators — the closest
// equivalent of Portcullis's token endpoint.
// Usage: node --import tsx bench/servers/oidc-provider.ts --alg ES256|RS256
import { generateKeyPairSync, randomBytes, type JsonWebKey } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';
import { announceReady, argument, exitWith, fail, freePort } from './lifecycle.js';

const CLIENT_ID = 'bench';
const RESOURCE = 'https://api.bench.example';
const SCOPES = 'users:read users:write';

function signingKeys(): JsonWebKey[] {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
    format: 'jwk',
  });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    format: 'jwk',
  });
  return [
    { ...ec, kid: 'bench-es256', alg: 'ES256', use: 'sig' },
    { ...rsa, kid: 'bench-rs256', alg: 'RS256', use: 'sig' },
  ];
}

const alg = argument('alg', 'ES256');
try {
  if (alg !== 'ES256' && alg !== 'RS256') throw new Error('--alg must be ES256 or RS256');
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientSecret = randomBytes(32).toString('base64url');
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: clientSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_basic',
        scope: SCOPES,
      },
    ],
    jwks: { keys: signingKeys() },
    scopes: SCOPES.split(' '),
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    ttl: { ClientCredentials: 3600 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // The client sends no `resource` parameter (nor does it to Portcullis): default to the API.
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: SCOPES,
          audience: issuer,
          accessTokenTTL: 3600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg } },
        }),
      },
    },
  });
  // Server errors would otherwise be swallowed into 500s; surface them on stderr.
  provider.on('server_error', (_ctx, error) => {
    process.stderr.write(`oidc-provider server_error: ${String(error)}\n`);
  });
  const server = createServer(provider.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  exitWith(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  announceReady({ url: issuer, clientId: CLIENT_ID, clientSecret, alg });
} catch (error) {
  fail(error);
}
