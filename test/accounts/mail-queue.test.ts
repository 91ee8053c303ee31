import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MailQueue, type MailFailure } from '../../src/core/accounts/mail-queue.js';
import type { MailMessage } from '../../src/core/accounts/mailer.js';

const mail = (to: string, text = 'hello'): MailMessage => ({ to, subject: 'Hi', text });

describe('mail queue', () => {
  test('enqueue returns before anything is composed or sent; drained() waits for all of it, in order', async () => {
    const sent: string[] = [];
    let composed = 0;
    const queue = new MailQueue({ send: async (m) => void sent.push(m.to) }, () =>
      assert.fail('no failure expected'),
    );
    for (const to of ['a@example.com', 'b@example.com', 'c@example.com'])
      queue.enqueue({ purpose: 'test', compose: async () => (composed++, mail(to)) });
    assert.equal(composed, 0, 'nothing runs inside the enqueuing call');
    assert.deepEqual(sent, []);
    await queue.drained();
    assert.deepEqual(sent, ['a@example.com', 'b@example.com', 'c@example.com']);
  });

  test('a mail composed to nothing is not sent', async () => {
    const sent: MailMessage[] = [];
    const queue = new MailQueue({ send: async (m) => void sent.push(m) }, () => undefined);
    queue.enqueue({ purpose: 'test', compose: async () => undefined });
    await queue.drained();
    assert.deepEqual(sent, []);
  });

  test('a failed mail is reported by purpose without its body, and the next mail still goes', async () => {
    const secret = 'tok_live_secret_value';
    const failures: MailFailure[] = [];
    const sent: string[] = [];
    const queue = new MailQueue(
      {
        async send(m) {
          if (m.to === 'down@example.com') throw new Error('SMTP 451 try again later');
          sent.push(m.to);
        },
      },
      (failure) => failures.push(failure),
    );
    queue.enqueue({
      purpose: 'password reset',
      compose: async () => mail('down@example.com', `token ${secret}`),
    });
    queue.enqueue({
      purpose: 'registration',
      compose: () => Promise.reject(new Error('database gone')),
    });
    queue.enqueue({ purpose: 'invitation', compose: async () => mail('ok@example.com') });
    await queue.drained();
    assert.deepEqual(sent, ['ok@example.com']);
    assert.deepEqual(
      failures.map((f) => [f.purpose, (f.error as Error).message]),
      [
        ['password reset', 'SMTP 451 try again later'],
        ['registration', 'database gone'],
      ],
    );
    assert.ok(
      !JSON.stringify(failures.map((f) => ({ ...f, error: String(f.error) }))).includes(secret),
    );
  });

  test('a reporter that throws does not stop the worker', async () => {
    const sent: string[] = [];
    const queue = new MailQueue(
      {
        async send(m) {
          if (m.to === 'bad@example.com') throw new Error('refused');
          sent.push(m.to);
        },
      },
      () => {
        throw new Error('logger broken');
      },
    );
    queue.enqueue({ purpose: 'test', compose: async () => mail('bad@example.com') });
    queue.enqueue({ purpose: 'test', compose: async () => mail('good@example.com') });
    await queue.drained();
    assert.deepEqual(sent, ['good@example.com']);
  });

  test('mail queued while the worker sends is sent before drained() resolves', async () => {
    const sent: string[] = [];
    const queue = new MailQueue(
      {
        async send(m) {
          sent.push(m.to);
          if (m.to === 'first@example.com')
            queue.enqueue({ purpose: 'test', compose: async () => mail('later@example.com') });
        },
      },
      () => undefined,
    );
    queue.enqueue({ purpose: 'test', compose: async () => mail('first@example.com') });
    await queue.drained();
    assert.deepEqual(sent, ['first@example.com', 'later@example.com']);
  });
});
