import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isRegistrableRedirectUri } from '../../src/core/clients/redirect-uri.js';

describe('redirect URIs a client may register (RFC 6749 §3.1.2, RFC 8252, RFC 9700)', () => {
  const cases: Array<[string, boolean]> = [
    ['https://app.example.com/callback', true],
    ['https://app.example.com/callback?tenant=a', true],
    ['http://127.0.0.1:3000/cb', true],
    ['http://localhost/cb', true],
    ['http://[::1]/cb', true],
    ['com.example.app:/oauth2redirect', true],
    ['http://app.example.com/cb', false],
    ['https://app.example.com/cb#frag', false],
    ['https://good.example@evil.example/cb', false],
    ['https://user:pw@evil.example/cb', false],
    ['https://*.example.com/cb', false],
    ['https://app.example.com/*', false],
    ['javascript:alert(1)', false],
    ['data:text/html,hi', false],
    ['not a uri', false],
  ];
  for (const [uri, allowed] of cases) {
    test(`${uri} is ${allowed ? 'accepted' : 'refused'}`, () => {
      assert.equal(isRegistrableRedirectUri(uri), allowed);
    });
  }
});
