import express from 'express';
import type { Server } from 'node:http';
import { expressGuard } from '../../src/guard/express.js';
import { guardContract } from './contract.js';

guardContract('Express', async (options) => {
  const auth = expressGuard(options);
  const app = express();
  app.use(auth.protect('/api/v1/protected'));
  app.get('/public', (_req, res) => void res.json({ ok: true }));
  app.get('/me', auth.requireAuth(), (req, res) => void res.json(req.principal));
  app.get('/posts', auth.requireScopes('posts:read'), (_req, res) => void res.json({ posts: [] }));
  app.post('/posts', auth.requireScopes('posts:write'), (_req, res) => void res.json({ id: 1 }));
  app.get('/admin', auth.requireRoles('admin', 'owner'), (_req, res) => void res.json({}));
  app.get('/reports', auth.requirePermissions('reports:read'), (_req, res) => void res.json({}));
  app.get(
    '/orgs/:orgId/data',
    auth.requireOrg((req) => req.params.orgId as string | undefined),
    (_req, res) => void res.json({ ok: true }),
  );
  app.get('/api/v1/protected/thing', (req, res) => void res.json({ sub: req.principal?.sub }));
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
});
