// Baseline: a bare Fastify 5 route, no plugins, logger off.
import Fastify from 'fastify';
import { announceReady, exitWith, fail } from './lifecycle.js';

try {
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  exitWith(async () => {
    await app.close();
  });
  announceReady({ url: `http://127.0.0.1:${port}` });
} catch (error) {
  fail(error);
}
