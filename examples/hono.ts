/**
 * A Hono API protected by Portcullis. Run: `npm run example:hono`
 * (with a Portcullis server at PORTCULLIS_ISSUER, default http://127.0.0.1:8000, the server's default).
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { GuardOptions } from 'portcullis/guard';
import { honoGuard, type GuardEnv } from 'portcullis/guard/hono';

const issuer = process.env.PORTCULLIS_ISSUER ?? 'http://127.0.0.1:8000';
const port = Number(process.env.PORT ?? 4003);

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

// GuardEnv types `c.get('principal')`.
const app = new Hono<GuardEnv>();
const auth = honoGuard(options);

// Every request under this prefix needs a valid credential, whatever its route.
app.use(auth.protect('/api/v1/protected'));

app.get('/public', (c) => c.json({ message: 'anyone can read this' }));

// Any valid credential: returns the principal (who the caller is, and what it may do).
app.get('/me', auth.requireAuth(), (c) => c.json(c.get('principal')));

// 403 insufficient_scope unless the token grants posts:read (or posts:*, *:read, *).
app.get('/posts', auth.requireScopes('posts:read'), (c) =>
  c.json({
    caller: c.get('principal').sub,
    posts: [
      { id: 1, title: 'Hello, Portcullis' },
      { id: 2, title: 'Guards for every framework' },
    ],
  }),
);

app.get('/api/v1/protected/status', (c) => c.json({ ok: true, caller: c.get('principal').sub }));

serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
  console.log(`Hono example on http://127.0.0.1:${info.port} (issuer ${issuer})`);
});
