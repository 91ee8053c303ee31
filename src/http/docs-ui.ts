import type { FastifyInstance } from 'fastify';
import fastifySwaggerUi from '@fastify/swagger-ui';

/**
 * swagger-ui's own policy (`staticCSP: true`, with the hashes of any inline script it ships),
 * adjusted: no framing; nothing from other sites (it allows any https style and font, and the
 * online validator's badge, which this plugin leaves off, would tell validator.swagger.io the
 * document's URL); inline styles, since the bundle injects a `<style>` element (scripts stay
 * `'self'` and hashes only); and no
 * `upgrade-insecure-requests`, which would make a browser fetch the UI's own assets over https
 * from a plain-http server reached by a non-loopback name (TLS is the proxy's job).
 */
export function tightenDocsCsp(header: string): string {
  const directives = new Map<string, string>();
  for (const part of header.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), values.join(' '));
  }
  directives.set('frame-ancestors', "'none'");
  directives.set('img-src', "'self' data:");
  directives.set('style-src', "'self' 'unsafe-inline'");
  directives.set('font-src', "'self' data:");
  directives.set('form-action', "'self'");
  directives.delete('upgrade-insecure-requests');
  return [...directives].map(([name, value]) => (value ? `${name} ${value}` : name)).join('; ');
}

/**
 * The OpenAPI UI at `/docs`, in a scope of its own so its headers stay on its routes: the CSP
 * above and `X-Frame-Options: DENY` (clickjacking of "Try it out" with a pasted token).
 */
export async function registerDocsUi(app: FastifyInstance): Promise<void> {
  await app.register(async (scope) => {
    scope.addHook('onSend', (_request, reply, payload, done) => {
      reply.header('x-frame-options', 'DENY');
      done(null, payload);
    });
    await scope.register(fastifySwaggerUi, {
      routePrefix: '/docs',
      staticCSP: true,
      transformStaticCSP: tightenDocsCsp,
    });
  });
}
