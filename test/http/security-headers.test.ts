import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { openPortcullis, parseConfig, portcullisPlugin } from '../../src/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** The directives of a CSP header, by name. */
const directives = (header: unknown): Map<string, string> =>
  new Map(
    String(header)
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name!, values.join(' ')]),
  );

describe('security headers', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('every response says X-Content-Type-Options: nosniff: API, page, error, 404, docs', async () => {
    for (const request of [
      { url: '/health' },
      { url: '/.well-known/jwks.json' },
      { url: '/oauth/authorize?client_id=unknown' },
      { url: '/account/reset-password' },
      { url: '/api/v1/auth/me' },
      { method: 'POST' as const, url: '/api/v1/auth/login', payload: { email: 'x' } },
      { url: '/nowhere?token=x' },
      { url: '/docs/' },
      { url: '/docs/json' },
      { url: '/docs/static/swagger-ui-bundle.js' },
    ]) {
      const response = await server.app.inject(request);
      assert.equal(
        response.headers['x-content-type-options'],
        'nosniff',
        `${request.url} (${response.statusCode})`,
      );
    }
  });

  test('/docs cannot be framed and runs only its own scripts, and the UI still loads', async () => {
    const ui = await server.app.inject('/docs/');
    assert.equal(ui.statusCode, 200);
    assert.equal(ui.headers['x-frame-options'], 'DENY');
    const csp = directives(ui.headers['content-security-policy']);
    assert.equal(csp.get('frame-ancestors'), "'none'");
    assert.equal(csp.get('default-src'), "'self'");
    assert.match(csp.get('script-src') ?? '', /^'self'/);
    assert.doesNotMatch(csp.get('script-src') ?? '', /unsafe-inline|unsafe-eval/);
    assert.equal(csp.get('object-src'), "'none'");
    assert.equal(csp.get('img-src'), "'self' data:", 'no third-party validator badge');
    assert.equal(csp.get('style-src'), "'self' 'unsafe-inline'", 'no third-party styles');
    assert.ok(!csp.has('upgrade-insecure-requests'), 'the UI must load on an http dev server');

    // Under that policy the page renders only if every script is a same-origin file.
    const scripts = [...ui.body.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0);
    const assets = [...ui.body.matchAll(/<link[^>]*href="([^"]+)"/g)].map((m) => m[1]!);
    for (const [, attributes, inline] of scripts) {
      assert.equal(inline!.trim(), '', 'no inline script');
      const src = /src="([^"]+)"/.exec(attributes!)?.[1];
      assert.ok(src && !/^[a-z]+:|^\/\//i.test(src), `same-origin script: ${src}`);
      assets.push(src);
    }
    for (const asset of assets) {
      const response = await server.app.inject(new URL(asset, 'http://x/docs/').pathname);
      assert.equal(response.statusCode, 200, asset);
      assert.equal(response.headers['x-frame-options'], 'DENY', asset);
      assert.ok(response.headers['content-security-policy'], asset);
    }
    const initializer = await server.app.inject('/docs/static/swagger-initializer.js');
    assert.match(initializer.body, /validatorUrl: null/);
  });

  test('the CSP and frame headers of /docs stay on /docs', async () => {
    const health = await server.app.inject('/health');
    assert.equal(health.headers['content-security-policy'], undefined);
    assert.equal(health.headers['x-frame-options'], undefined);
  });
});

test('an app that embeds the plugin gets nosniff on the Portcullis routes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'portcullis-embed-'));
  const portcullis = await openPortcullis(
    parseConfig({ databaseUrl: `sqlite:${join(dir, 'db.sqlite')}`, storageDir: dir }),
  );
  const app = Fastify();
  await app.register(portcullisPlugin, { ctx: portcullis.ctx });
  try {
    const response = await app.inject('/.well-known/openid-configuration');
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
  } finally {
    await app.close();
    await portcullis.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
