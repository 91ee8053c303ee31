import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseScope,
  scopeAllows,
  scopeCovers,
  scopesAllowAll,
} from '../../src/core/scopes/match.js';

/** [granted, required, covered]: one row per rule of the scope grammar. */
const COVERS: ReadonlyArray<readonly [string, string, boolean]> = [
  // resource:* covers every action of that resource, and nothing else
  ['posts:*', 'posts:read', true],
  ['posts:*', 'posts:write', true],
  ['posts:*', 'posts:*', true],
  ['posts:*', 'users:read', false],
  ['posts:*', 'posts', false],
  ['posts:*', '*:read', false],
  ['posts:*', '*', false],
  // *:action covers that action on every resource, and nothing else
  ['*:read', 'posts:read', true],
  ['*:read', 'users:read', true],
  ['*:read', '*:read', true],
  ['*:read', 'posts:write', false],
  ['*:read', 'posts:*', false],
  ['*:read', 'read', false],
  ['*:read', '*', false],
  // *:* covers every resource:action, but not plain names
  ['*:*', 'posts:read', true],
  ['*:*', 'openid', false],
  // * covers everything
  ['*', 'posts:read', true],
  ['*', 'posts:*', true],
  ['*', '*:read', true],
  ['*', 'openid', true],
  ['*', 'offline_access', true],
  ['*', '*', true],
  // plain names match only themselves
  ['openid', 'openid', true],
  ['openid', 'profile', false],
  ['openid', 'openid:read', false],
  ['openid', '*', false],
  ['posts', 'posts:read', false],
  ['posts', 'posts:*', false],
  // exact resource:action matches only itself; a narrower scope never grants a wildcard
  ['posts:read', 'posts:read', true],
  ['posts:read', 'posts:write', false],
  ['posts:read', 'posts', false],
  ['posts:read', 'posts:*', false],
  ['posts:read', '*:read', false],
  ['posts:read', '*', false],
  // scopes are case-sensitive (RFC 6749 §3.3)
  ['posts:read', 'Posts:read', false],
  ['Posts:*', 'posts:read', false],
  // a shared prefix is not a shared resource
  ['post:*', 'posts:read', false],
  ['posts:*', 'post:read', false],
];

describe('scopeCovers', () => {
  for (const [granted, required, covered] of COVERS) {
    test(`${granted} ${covered ? 'covers' : 'does not cover'} ${required}`, () => {
      assert.equal(scopeCovers(granted, required), covered);
    });
  }
});

describe('scopeAllows', () => {
  test('allows a scope when any granted scope covers it', () => {
    assert.equal(scopeAllows(['openid', 'posts:*'], 'posts:write'), true);
    assert.equal(scopeAllows(['openid', '*:read'], 'users:read'), true);
    assert.equal(scopeAllows(new Set(['email', 'openid']), 'openid'), true);
  });

  test('refuses a scope no granted scope covers', () => {
    assert.equal(scopeAllows(['openid', 'posts:*'], 'users:read'), false);
    assert.equal(scopeAllows(['posts:read', 'posts:write'], 'posts:*'), false);
  });

  test('nothing granted allows nothing', () => {
    assert.equal(scopeAllows([], 'openid'), false);
    assert.equal(scopeAllows([], '*'), false);
  });
});

describe('scopesAllowAll', () => {
  test('allows when every required scope is covered', () => {
    assert.equal(
      scopesAllowAll(['openid', 'posts:*', '*:read'], ['openid', 'posts:write', 'users:read']),
      true,
    );
    assert.equal(scopesAllowAll(['*'], ['openid', 'posts:*', 'users:delete']), true);
  });

  test('refuses when one required scope is not covered', () => {
    assert.equal(scopesAllowAll(['openid', 'posts:*'], ['openid', 'users:read']), false);
    assert.equal(scopesAllowAll(['*:read'], ['posts:read', 'posts:write']), false);
  });

  test('requiring nothing is always allowed', () => {
    assert.equal(scopesAllowAll([], []), true);
    assert.equal(scopesAllowAll(['openid'], new Set<string>()), true);
  });
});

describe('parseScope', () => {
  const CASES: ReadonlyArray<readonly [string | null | undefined, string[]]> = [
    ['openid profile email', ['openid', 'profile', 'email']],
    ['openid openid profile openid', ['openid', 'profile']],
    ['  openid   posts:*  ', ['openid', 'posts:*']],
    ['*:read', ['*:read']],
    ['', []],
    ['   ', []],
    [null, []],
    [undefined, []],
  ];
  for (const [value, expected] of CASES) {
    test(`${JSON.stringify(value) ?? 'undefined'} parses to ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(parseScope(value), expected);
    });
  }

  test('keeps the first occurrence order when dropping duplicates', () => {
    assert.deepEqual(parseScope('b a b c a'), ['b', 'a', 'c']);
  });
});
