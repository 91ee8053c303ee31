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

  /** One try that turns out wrong: its point stays spent. Returns what reserve() said. */
  const failedTry = async (attempt: typeof ada) => {
    const wait = await throttle.reserve(attempt);
    if (wait === 0) throttle.failed(attempt);
    return wait;
  };

  test('five failures from one address lock that account there for the window, then it opens again', async () => {
    for (let i = 0; i < 5; i++) {
      assert.equal(await failedTry(ada), 0, `attempt ${i + 1} allowed`);
    }
    const wait = await throttle.reserve(ada);
    assert.ok(wait > 14 * 60_000 && wait <= 15 * 60_000, `blocked for the window, got ${wait} ms`);
    assert.equal(
      await failedTry({ ...ada, ip: '198.51.100.1' }),
      0,
      'the user can still sign in from elsewhere',
    );
    mock.timers.tick(15 * 60_000 + 1);
    assert.equal(await failedTry(ada), 0);
  });

  test('a success clears the account+address counter', async () => {
    for (let i = 0; i < 4; i++) await failedTry(ada);
    assert.equal(await throttle.reserve(ada), 0);
    await throttle.succeeded(ada);
    for (let i = 0; i < 4; i++) await failedTry(ada);
    assert.equal(await failedTry(ada), 0);
  });

  test('successes never count against the account or the address', async () => {
    for (let i = 0; i < 150; i++) {
      assert.equal(await throttle.reserve(ada), 0, `sign-in ${i + 1}`);
      await throttle.succeeded(ada);
    }
  });

  test('a guesser spread over many addresses is stopped per account', async () => {
    for (let i = 0; i < 20; i++) await failedTry({ email: ada.email, ip: `10.0.0.${i}` });
    assert.ok((await throttle.reserve({ email: ada.email, ip: '10.0.1.1' })) > 0);
    assert.equal(
      await failedTry({ email: 'grace@example.com', ip: '10.0.1.1' }),
      0,
      'other accounts are unaffected',
    );
  });

  test('a sprayer trying many accounts from one address is stopped per address', async () => {
    for (let i = 0; i < 100; i++) await failedTry({ email: `user${i}@example.com`, ip: ada.ip });
    assert.ok((await throttle.reserve({ email: 'fresh@example.com', ip: ada.ip })) > 0);
  });

  test('a burst of parallel wrong guesses gets exactly as many checks as the limit allows', async () => {
    const waits = await Promise.all(
      Array.from({ length: 60 }, async () => {
        const wait = await throttle.reserve(ada);
        // The password check happens here; each one turns out wrong.
        if (wait === 0) queueMicrotask(() => throttle.failed(ada));
        return wait;
      }),
    );
    assert.equal(waits.filter((w) => w === 0).length, 5);
  });

  test('a burst of parallel correct sign-ins is slowed to the limit, never refused', async () => {
    const waits = await Promise.all(
      Array.from({ length: 30 }, async () => {
        const wait = await throttle.reserve(ada);
        if (wait === 0) await throttle.succeeded(ada);
        return wait;
      }),
    );
    assert.deepEqual(
      waits,
      waits.map(() => 0),
    );
  });

  test('a flood of refused tries does not lock the account for its user elsewhere, even while in flight', async () => {
    for (let i = 0; i < 5; i++) await failedTry(ada);
    const flood = Array.from({ length: 200 }, () => throttle.reserve(ada));
    const elsewhere = throttle.reserve({ ...ada, ip: '192.0.2.1' });
    assert.equal(await elsewhere, 0);
    throttle.failed({ ...ada, ip: '192.0.2.1' });
    for (const wait of await Promise.all(flood)) assert.ok(wait > 0);
  });

  test('a try refused by its address counter is answered at once, not queued behind the account', async () => {
    for (let i = 0; i < 100; i++) await failedTry({ email: `user${i}@example.com`, ip: ada.ip });
    // Ada is signing in from another address; that try is still being checked.
    assert.equal(await throttle.reserve({ ...ada, ip: '192.0.2.2' }), 0);
    assert.ok((await throttle.reserve(ada)) > 0, 'answered without waiting for the other try');
    await throttle.succeeded({ ...ada, ip: '192.0.2.2' });
  });

  test('an abandoned try (the check failed on a fault) counts nowhere', async () => {
    for (let i = 0; i < 10; i++) {
      assert.equal(await throttle.reserve(ada), 0);
      await throttle.abandoned(ada);
    }
    for (let i = 0; i < 5; i++) assert.equal(await failedTry(ada), 0);
    assert.ok((await throttle.reserve(ada)) > 0);
  });

  test('refused tries count nowhere: hammering one address does not lock the account elsewhere', async () => {
    for (let i = 0; i < 5; i++) await failedTry(ada);
    for (let i = 0; i < 50; i++) assert.ok((await throttle.reserve(ada)) > 0);
    // 5 of the account's 20 tries are spent; the other 15 remain for other addresses.
    for (let i = 0; i < 15; i++) {
      assert.equal(await failedTry({ email: ada.email, ip: `10.1.0.${i}` }), 0);
    }
    assert.ok((await throttle.reserve({ email: ada.email, ip: '10.1.1.1' })) > 0);
  });
});
