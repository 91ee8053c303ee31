import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  createLoginThrottle,
  memoryLoginLimiters,
  type LoginThrottle,
} from '../../src/core/ratelimit/login-throttle.js';

const policy = {
  attemptsPerAccountAndIp: 5,
  attemptsPerAccount: 20,
  attemptsPerIp: 100,
  windowMinutes: 15,
};

describe('login throttle (rate-limiter-flexible, memory)', () => {
  let throttle: LoginThrottle;
  beforeEach(() => {
    // The limiter reads Date and expires with setTimeout: both are moved by hand, no sleeping.
    mock.timers.enable({ apis: ['Date', 'setTimeout'], now: Date.UTC(2026, 0, 1) });
    throttle = createLoginThrottle(memoryLoginLimiters(policy));
  });
  afterEach(() => mock.timers.reset());

  const ada = { email: 'ada@example.com', ip: '203.0.113.7' };

  test('five failures from one address lock that account there for the window, then it opens again', async () => {
    for (let i = 0; i < 5; i++) {
      assert.equal(await throttle.wait(ada), 0, `attempt ${i + 1} allowed`);
      await throttle.failed(ada);
    }
    const wait = await throttle.wait(ada);
    assert.ok(wait > 14 * 60_000 && wait <= 15 * 60_000, `blocked for the window, got ${wait} ms`);
    assert.equal(
      await throttle.wait({ ...ada, ip: '198.51.100.1' }),
      0,
      'the user can still sign in from elsewhere',
    );
    mock.timers.tick(15 * 60_000 + 1);
    assert.equal(await throttle.wait(ada), 0);
  });

  test('a success clears the account+address counter', async () => {
    for (let i = 0; i < 4; i++) await throttle.failed(ada);
    await throttle.succeeded(ada);
    for (let i = 0; i < 4; i++) await throttle.failed(ada);
    assert.equal(await throttle.wait(ada), 0);
  });

  test('a guesser spread over many addresses is stopped per account', async () => {
    for (let i = 0; i < 20; i++) await throttle.failed({ email: ada.email, ip: `10.0.0.${i}` });
    assert.ok((await throttle.wait({ email: ada.email, ip: '10.0.1.1' })) > 0);
    assert.equal(
      await throttle.wait({ email: 'grace@example.com', ip: '10.0.1.1' }),
      0,
      'other accounts are unaffected',
    );
  });

  test('a sprayer trying many accounts from one address is stopped per address', async () => {
    for (let i = 0; i < 100; i++)
      await throttle.failed({ email: `user${i}@example.com`, ip: ada.ip });
    assert.ok((await throttle.wait({ email: 'fresh@example.com', ip: ada.ip })) > 0);
  });
});
