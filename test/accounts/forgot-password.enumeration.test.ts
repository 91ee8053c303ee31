import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { testDialects } from '../helpers/dialects.js';
import type { CoreContext } from '../../src/core/context.js';
import type { MailMessage } from '../../src/core/accounts/mailer.js';
import type { MailJob } from '../../src/core/accounts/mail-queue.js';

const PASSWORD = 'a long enough passphrase';

/**
 * Runs `request` and returns the storage and mail-queue operations it performed before it was
 * answered, in order (repository calls by `repo.method`, queued mail by purpose).
 */
async function operationsOf(ctx: CoreContext, request: () => Promise<unknown>) {
  const operations: string[] = [];
  const repos = ctx.repos;
  ctx.repos = new Proxy(repos, {
    get(target, repoName: string) {
      const repo = Reflect.get(target, repoName) as object;
      return new Proxy(repo, {
        get(inner, method: string) {
          const value = Reflect.get(inner, method) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            operations.push(`${repoName}.${method}`);
            return (value as (...a: unknown[]) => unknown).apply(inner, args);
          };
        },
      });
    },
  });
  // Tolerant of a context without a queue, so the test fails on its assertion, not on setup.
  // Queued mail is held until the request is answered (then sent before returning), so the
  // worker's own lookups, which do depend on the address, are not counted as the request's.
  const queue = (ctx as Partial<CoreContext>).mailQueue;
  const enqueue = queue?.enqueue;
  const held: MailJob[] = [];
  if (queue && enqueue)
    queue.enqueue = (job) => {
      operations.push(`mailQueue.enqueue(${job.purpose})`);
      held.push(job);
    };
  try {
    await request();
  } finally {
    ctx.repos = repos;
    if (queue && enqueue) {
      queue.enqueue = enqueue;
      for (const job of held) queue.enqueue(job);
      await queue.drained();
    }
  }
  return operations;
}

for (const dialect of await testDialects()) {
  describe(`forgot-password does not tell known addresses from unknown ones (${dialect})`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ dialect });
    });
    after(() => server.close());

    const forgot = (email: string) =>
      server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/forgot-password',
        payload: { email },
      });

    test('known and unknown addresses get the same answer: status, headers and body', async () => {
      const user = await server.createUser(undefined, PASSWORD);
      const known = await forgot(user.email);
      const unknown = await forgot(`nobody-${Date.now()}@example.com`);
      assert.equal(known.statusCode, 202);
      assert.equal(unknown.statusCode, known.statusCode);
      assert.equal(unknown.body, known.body);
      const shown = (r: typeof known) => {
        const { date: _date, 'content-length': _length, ...rest } = r.headers;
        return rest;
      };
      assert.deepEqual(shown(unknown), shown(known));
      await server.portcullis.ctx.mailQueue.drained();
      const mails = readdirSync(join(server.storageDir, 'mail'));
      assert.equal(mails.length, 1, 'only the known address gets a mail');
    });

    test('the request performs the same operations for a known and an unknown address', async () => {
      const ctx = server.portcullis.ctx;
      const user = await server.createUser(undefined, PASSWORD);
      const disabled = await server.createUser(undefined, PASSWORD);
      await ctx.repos.users.setDisabled(disabled.id, ctx.clock.now(), ctx.clock.now());
      const known = await operationsOf(ctx, () => forgot(user.email));
      const unknown = await operationsOf(ctx, () => forgot(`nobody-${Date.now()}@example.com`));
      const ofDisabled = await operationsOf(ctx, () => forgot(disabled.email));
      assert.ok(
        known.includes('mailQueue.enqueue(password reset)'),
        `the known address's mail is queued: ${known.join(', ')}`,
      );
      assert.deepEqual(unknown, known);
      assert.deepEqual(ofDisabled, known);
      await ctx.mailQueue.drained();
    });

    // The timeout only ends a hung run sooner: nothing here measures time.
    test('the answer does not wait for the mail transport', { timeout: 30_000 }, async () => {
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let reachedTransport!: () => void;
      const transportReached = new Promise<void>((resolve) => (reachedTransport = resolve));
      const sent: MailMessage[] = [];
      const stalled = await startTestServer({
        dialect,
        mailer: {
          async send(message) {
            reachedTransport();
            await released; // an SMTP server that never answers, until the test lets it
            sent.push(message);
          },
        },
      });
      try {
        const user = await stalled.createUser(undefined, PASSWORD);
        // Without the queue this request would hang here, and the test time out.
        const answer = await stalled.app.inject({
          method: 'POST',
          url: '/api/v1/auth/forgot-password',
          payload: { email: user.email },
        });
        assert.equal(answer.statusCode, 202);
        await transportReached;
        assert.equal(sent.length, 0, 'answered while the transport still holds the mail');
        release();
        await stalled.portcullis.ctx.mailQueue.drained();
        assert.equal(sent.length, 1);
        assert.equal(sent[0]!.to, user.email);
        assert.match(sent[0]!.text, /reset-password\?token=/);
      } finally {
        release();
        await stalled.close();
      }
    });

    test('register queues exactly one mail whether the address is taken or new', async () => {
      const ctx = server.portcullis.ctx;
      const taken = await server.createUser(undefined, PASSWORD);
      const register = (email: string) =>
        server.app.inject({
          method: 'POST',
          url: '/api/v1/auth/register',
          payload: { email, password: PASSWORD },
        });
      const ofTaken = await operationsOf(ctx, () => register(taken.email));
      const ofNew = await operationsOf(ctx, () => register(`new-${Date.now()}@example.com`));
      const queued = (ops: string[]) => ops.filter((op) => op.startsWith('mailQueue.'));
      assert.deepEqual(queued(ofTaken), ['mailQueue.enqueue(registration)']);
      assert.deepEqual(queued(ofNew), queued(ofTaken));
      assert.ok(
        !ofNew.some((op) => op.startsWith('accountTokens.')),
        'the confirmation token is minted by the mail worker, not the request',
      );
      await ctx.mailQueue.drained();
    });
  });
}
