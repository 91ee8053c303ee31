/**
 * A Fastify API protected by Portcullis. Run: `npm run example:fastify`
 * (with a Portcullis server at PORTCULLIS_ISSUER, default http://127.0.0.1:8000, the server's default).
 */
import Fastify from 'fastify';
import { portcullisGuard, requireAuth, requireScopes, protect } from 'portcullis/guard/fastify';
import type { GuardOptions } from 'portcullis/guard';

const issuer = process.env.PORTCULLIS_ISSUER ?? 'http://127.0.0.1:8000';
const port = Number(process.env.PORT ?? 4001);

// JWT access tokens are verified locally against <issuer>/.well-known/jwks.json. API keys
// (sk_live_…) are accepted too when a client's credentials are given: the guard then asks
// the server's introspection endpoint about them.
const { PORTCULLIS_CLIENT_ID: clientId, PORTCULLIS_CLIENT_SECRET: clientSecret } = process.env;
const options: GuardOptions =
  clientId && clientSecret
    ? {
        issuer,
        apiKeys: 'introspection',
        introspection: { endpoint: `${issuer}/oauth/introspect`, clientId, clientSecret },
      }
    : { issuer };

const app = Fastify({ logger: true });

// The plugin decorates `request.principal` (null until a guard has run) and `app.portcullisGuard`.
await app.register(portcullisGuard, { guard: options });

// Every request under this prefix needs a valid credential, whatever its route.
app.addHook('onRequest', protect('/api/v1/protected'));

app.get('/public', async () => ({ message: 'anyone can read this' }));

// Any valid credential: returns the principal (who the caller is, and what it may do).
app.get('/me', { preHandler: requireAuth() }, async (request) => request.principal);

// 403 insufficient_scope unless the token grants posts:read (or posts:*, *:read, *).
app.get('/posts', { preHandler: requireScopes('posts:read') }, async (request) => ({
  caller: request.principal!.sub,
  posts: [
    { id: 1, title: 'Hello, Portcullis' },
    { id: 2, title: 'Guards for every framework' },
  ],
}));

app.get('/api/v1/protected/status', async (request) => ({
  ok: true,
  caller: request.principal!.sub,
}));

await app.listen({ port, host: '127.0.0.1' });
