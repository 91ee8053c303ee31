import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { launchChromium } from '../helpers/chromium.js';

describe('/docs in real headless Chromium', () => {
  let server: TestServer;
  let browser: Browser | undefined;
  let skip: string | undefined;
  before(async () => {
    server = await startTestServer({ listen: true });
    const launched = await launchChromium();
    if (typeof launched === 'string') skip = launched;
    else browser = launched;
  });
  after(async () => {
    await browser?.close();
    await server.close();
  });

  test('the UI renders the operations under its CSP, with no violation, over plain http', async (t) => {
    if (skip) return t.skip(skip);
    const page = await browser!.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text()))
        violations.push(message.text());
    });
    const failed: string[] = [];
    page.on('requestfailed', (request) => failed.push(request.url()));
    await page.goto(`${server.url}/docs/`);
    await page.waitForSelector('.opblock', { timeout: 15_000 });
    assert.ok((await page.locator('.opblock').count()) > 10, 'the operations are listed');
    assert.deepEqual(violations, []);
    assert.deepEqual(failed, []);
    await page.close();
  });
});
