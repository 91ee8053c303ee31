import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constantTimeEqual, digest, digestsEqual, newSecret } from '../../src/core/secrets.js';

test('new secrets are 256-bit base64url and never repeat', () => {
  const seen = new Set(Array.from({ length: 1000 }, () => newSecret()));
  assert.equal(seen.size, 1000);
  for (const secret of seen) assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
});

test('digestsEqual is true only for the same SHA-256 digest, false for malformed ones', () => {
  assert.equal(digestsEqual(digest('a'), digest('a')), true);
  assert.equal(digestsEqual(digest('a'), digest('b')), false);
  assert.equal(digestsEqual(digest('a'), 'abc'), false);
  assert.equal(digestsEqual('', ''), false);
});

test('constantTimeEqual compares strings of any length', () => {
  assert.equal(constantTimeEqual('state-1', 'state-1'), true);
  assert.equal(constantTimeEqual('state-1', 'state-12'), false);
  assert.equal(constantTimeEqual('', ''), true);
});
