import Fastify from 'fastify';
import {
  portcullisGuard,
  protect,
  requireAuth,
  requireOrg,
  requirePermissions,
  requireRoles,
  requireScopes,
} from '../../src/guard/fastify.js';
import { guardContract } from './contract.js';

guardContract('Fastify', async (options) => {
  const app = Fastify({ logger: false });
  await app.register(portcullisGuard, { guard: options });
  app.addHook('onRequest', protect('/api/v1/protected'));
  const principal = (request: { principal: unknown }) => request.principal;
  app.get('/public', async () => ({ ok: true }));
  app.get('/me', { preHandler: requireAuth() }, async (request) => principal(request));
  app.get('/posts', { preHandler: requireScopes('posts:read') }, async () => ({ posts: [] }));
  app.post('/posts', { preHandler: requireScopes('posts:write') }, async () => ({ id: 1 }));
  app.get('/admin', { preHandler: requireRoles('admin', 'owner') }, async () => ({ ok: true }));
  app.get('/reports', { preHandler: requirePermissions('reports:read') }, async () => ({}));
  app.get<{ Params: { orgId: string } }>(
    '/orgs/:orgId/data',
    { preHandler: requireOrg((request) => (request.params as { orgId: string }).orgId) },
    async () => ({ ok: true }),
  );
  app.get('/api/v1/protected/thing', async (request) => ({ sub: request.principal?.sub }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
});
