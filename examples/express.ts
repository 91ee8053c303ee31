/**
 * An Express 5 API protected by Portcullis. Run: `npm run example:express`
 * (with a Portcullis server at PORTCULLIS_ISSUER, default http://127.0.0.1:8000, the server's default).
 */
import express from 'express';
import type { GuardOptions } from 'portcullis/guard';
import { expressGuard } from 'portcullis/guard/express';

const issuer = process.env.PORTCULLIS_ISSUER ?? 'http://127.0.0.1:8000';
const port = Number(process.env.PORT ?? 4002);

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

const app = express();
const auth = expressGuard(options);

// Every request under this prefix needs a valid credential, whatever its route.
app.use(auth.protect('/api/v1/protected'));

app.get('/public', (_req, res) => {
  res.json({ message: 'anyone can read this' });
});

// Any valid credential: returns the principal (who the caller is, and what it may do).
app.get('/me', auth.requireAuth(), (req, res) => {
  res.json(req.principal);
});

// 403 insufficient_scope unless the token grants posts:read (or posts:*, *:read, *).
app.get('/posts', auth.requireScopes('posts:read'), (req, res) => {
  res.json({
    caller: req.principal!.sub,
    posts: [
      { id: 1, title: 'Hello, Portcullis' },
      { id: 2, title: 'Guards for every framework' },
    ],
  });
});

app.get('/api/v1/protected/status', (req, res) => {
  res.json({ ok: true, caller: req.principal!.sub });
});

app.listen(port, '127.0.0.1', () => {
  console.log(`Express example on http://127.0.0.1:${port} (issuer ${issuer})`);
});
