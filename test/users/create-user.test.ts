import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createUser } from '../../src/core/users/create-user.js';

describe('createUser', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  test('a name longer than 200 characters is refused on every engine (PostgreSQL would 500)', async () => {
    await assert.rejects(
      createUser(server.portcullis.ctx, {
        email: 'long-name@example.com',
        password: 'correct horse battery staple',
        name: 'x'.repeat(201),
      }),
      /name must be at most 200 characters/,
    );
    const user = await createUser(server.portcullis.ctx, {
      email: 'long-name@example.com',
      password: 'correct horse battery staple',
      name: 'x'.repeat(200),
    });
    assert.equal(user.name?.length, 200);
  });
});
