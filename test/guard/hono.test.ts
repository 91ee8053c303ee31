import { Hono } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import { honoGuard, type GuardEnv } from '../../src/guard/hono.js';
import { guardContract } from './contract.js';

guardContract('Hono', async (options) => {
  const auth = honoGuard(options);
  const app = new Hono<GuardEnv>();
  app.use(auth.protect('/api/v1/protected'));
  app.get('/public', (c) => c.json({ ok: true }));
  app.get('/me', auth.requireAuth(), (c) => c.json(c.get('principal')));
  app.get('/posts', auth.requireScopes('posts:read'), (c) => c.json({ posts: [] }));
  app.post('/posts', auth.requireScopes('posts:write'), (c) => c.json({ id: 1 }));
  app.get('/admin', auth.requireRoles('admin', 'owner'), (c) => c.json({}));
  app.get('/reports', auth.requirePermissions('reports:read'), (c) => c.json({}));
  app.get(
    '/orgs/:orgId/data',
    auth.requireOrg((c) => c.req.param('orgId')),
    (c) => c.json({ ok: true }),
  );
  app.get('/api/v1/protected/thing', (c) => c.json({ sub: c.get('principal')?.sub }));
  const server = await new Promise<ServerType>((resolve) => {
    const started: ServerType = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () =>
      resolve(started),
    );
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
