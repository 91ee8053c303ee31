import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { testDialects } from '../helpers/dialects.js';
import {
  bearer,
  defineAuthorityScopes,
  delegatedToken,
  invitationToken,
  orgSession,
  personalToken,
  serviceClient,
  serviceToken,
  signIn,
  thirdPartyApp,
} from '../helpers/credentials.js';
import { portcullisPlugin } from '../../src/http/plugin.js';
import { assignRole } from '../../src/core/rbac/manage-grants.js';
import { createRole, ensureAdminRole } from '../../src/core/rbac/manage-roles.js';
import { createApiKey } from '../../src/core/apikeys/create-api-key.js';
import { disableUser } from '../../src/core/users/manage-users.js';

/**
 * One authority matrix (docs: /work/authority-spec.md): every management route under `/api/v1`
 * and `/oauth`, called with every kind of credential, each cell the status the authority model
 * answers. 401: no credential or a dead one; 403: a live credential without the power; 404: a
 * resource of someone else (another organization's members, another user's key); 2xx: allowed.
 * A route registered without a row fails the run, so a new route cannot skip the matrix.
 */

/** The credentials the matrix presents, one column each. */
const KINDS = [
  'none',
  /** The plain user signed in through the Auth API (no organization). */
  'session',
  /** The plain user's session switched to organization A, where they hold `admin`. */
  'orgSession',
  /** A user holding the built-in `admin` role globally, signed in. */
  'admin',
  /** The plain user's token from a third-party app, scope `openid`. */
  'delegated',
  /** The plain user's token from a third-party app with every self-service scope. */
  'delegatedScoped',
  /** The global admin's token from a third-party app with the administrative scopes. */
  'delegatedAdmin',
  /** The plain user's personal access token with the self-service scopes. */
  'personal',
  /** A client-credentials token of a client created without scopes. */
  'service',
  /** A client-credentials token with the administrative scopes. */
  'serviceAdmin',
  /** The plain user's API key, scope `api-keys:read`. */
  'apiKey',
  /** A session of a user disabled since. */
  'disabled',
  /** A session of a member of organization B only. */
  'outsider',
] as const;
type Kind = (typeof KINDS)[number];

/** An exact status, or the statuses the spec leaves open (listed where it does). */
type Status = number | readonly number[];

const SELF_SCOPES = [
  'openid',
  'profile',
  'email',
  'roles',
  'organizations:read',
  'organizations:write',
  'api-keys:read',
  'api-keys:write',
];
const PERSONAL_SCOPES = [
  'profile',
  'email',
  'api-keys:read',
  'api-keys:write',
  'organizations:read',
  'organizations:write',
];
const ADMIN_SCOPES = ['users:read', 'users:write', 'roles:read', 'roles:write', 'api-keys:admin'];
const DELEGATED_ADMIN_SCOPES = [
  'openid',
  'api-keys:read',
  'api-keys:write',
  'api-keys:admin',
  'roles:read',
  'roles:write',
];

/** Routes that answer without a caller (or authenticate a client, not a caller). */
const PUBLIC = new Set([
  'GET /oauth/authorize',
  'POST /oauth/authorize',
  'POST /oauth/token',
  'POST /oauth/introspect',
  'POST /oauth/revoke',
  'GET /oauth/logout',
  'POST /oauth/logout',
  'POST /api/v1/auth/register',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/refresh',
  'GET /api/v1/auth/verify-email',
  'POST /api/v1/auth/verify-email',
  'POST /api/v1/auth/forgot-password',
  'POST /api/v1/auth/reset-password',
]);

/** `/a/:id/b/:userId` → `/a/:/b/:`: rows match routes whatever the parameters are called. */
const normalize = (route: string) => route.replace(/:[^/]+/g, ':');

/** Every status allowed for `kinds`, every other live credential refused with `refused`. */
function expect(
  allowed: Partial<Record<Kind, Status>>,
  refused: Status = 403,
): Record<Kind, Status> {
  const cells = {} as Record<Kind, Status>;
  for (const kind of KINDS) cells[kind] = refused;
  cells.none = 401;
  cells.disabled = 401;
  return { ...cells, ...allowed };
}

let unique = 0;
const next = (prefix: string) => `${prefix}-${++unique}-${Date.now().toString(36)}`;

for (const dialect of await testDialects()) {
  describe(`authority matrix: every management route × every credential (${dialect})`, () => {
    let server: TestServer;
    type User = Awaited<ReturnType<TestServer['createUser']>>;
    /** The fixtures every row reads; built once. */
    const f = {} as {
      plain: User;
      admin: User;
      outsider: User;
      disabled: User;
      host: User;
      orgA: string;
      orgB: string;
      plainSession: string;
      plainKeyId: string;
      emptyRole: string;
      shared: Record<Kind, string | undefined>;
      mint: Record<Kind, () => Promise<string | undefined>>;
    };

    before(async () => {
      // Every cell of the invitation rows mails the same few addresses from one client address:
      // the mail limits are not what this matrix is about.
      server = await startTestServer({
        dialect,
        config: { mailThrottle: { mailsPerAddress: 1000, mailsPerIp: 1000 } },
      });
      const ctx = server.portcullis.ctx;
      await defineAuthorityScopes(server);
      await ensureAdminRole(ctx);
      f.emptyRole = 'matrix-empty';
      await createRole(ctx, { name: f.emptyRole, permissions: [] });

      f.plain = await server.createUser();
      f.admin = await server.createUser();
      await assignRole(ctx, f.admin.id, 'admin');
      f.outsider = await server.createUser();
      f.disabled = await server.createUser();
      f.host = await server.createUser();

      f.plainSession = (await signIn(server, f.plain)).access_token;
      const createOrg = async (token: string) => {
        const response = await server.app.inject({
          method: 'POST',
          url: '/api/v1/organizations',
          headers: bearer(token),
          payload: { name: next('Org') },
        });
        assert.equal(response.statusCode, 201, response.body);
        return (response.json() as { id: string }).id;
      };
      f.orgA = await createOrg(f.plainSession);
      f.orgB = await createOrg((await signIn(server, f.outsider)).access_token);

      const app = await thirdPartyApp(server);
      const service = await serviceClient(server);
      const serviceAdmin = await serviceClient(server, ADMIN_SCOPES);
      const created = await createApiKey(ctx, {
        name: 'matrix key',
        scopes: ['api-keys:read'],
        userId: f.plain.id,
      });
      const apiKey = { id: created.apiKey.id, key: created.key };
      f.plainKeyId = apiKey.id;

      const disabledSession = (await signIn(server, f.disabled)).access_token;
      await disableUser(ctx, f.disabled.id);

      f.mint = {
        none: async () => undefined,
        session: async () => (await signIn(server, f.plain)).access_token,
        orgSession: async () => (await orgSession(server, f.plain, f.orgA)).access_token,
        admin: async () => (await signIn(server, f.admin)).access_token,
        delegated: () => delegatedToken(server, app, f.plain, 'openid'),
        delegatedScoped: () => delegatedToken(server, app, f.plain, SELF_SCOPES.join(' ')),
        delegatedAdmin: () =>
          delegatedToken(server, app, f.admin, DELEGATED_ADMIN_SCOPES.join(' ')),
        personal: async () =>
          (
            await personalToken(
              server,
              (await signIn(server, f.plain)).access_token,
              PERSONAL_SCOPES,
            )
          ).token,
        service: () => serviceToken(server, service),
        serviceAdmin: () => serviceToken(server, serviceAdmin, ADMIN_SCOPES.join(' ')),
        apiKey: async () => apiKey.key,
        disabled: async () => disabledSession,
        outsider: async () => (await signIn(server, f.outsider)).access_token,
      };
      f.shared = {} as Record<Kind, string | undefined>;
      for (const kind of KINDS) f.shared[kind] = await f.mint[kind]();
    });
    after(() => server?.close());

    /** The user a credential acts for (the plain user for those acting for none). */
    const userOf = (kind: Kind): User =>
      kind === 'admin' || kind === 'delegatedAdmin'
        ? f.admin
        : kind === 'outsider'
          ? f.outsider
          : kind === 'disabled'
            ? f.disabled
            : f.plain;

    const ctxOf = () => server.portcullis.ctx;
    /** A fresh key of the plain user, for a call that ends or replaces it. */
    const freshKey = async () =>
      (await createApiKey(ctxOf(), { name: next('key'), scopes: [], userId: f.plain.id })).apiKey
        .id;
    const freshRole = async () => {
      const name = next('role').replace(/[^a-z0-9-]/g, '');
      await createRole(ctxOf(), { name, permissions: [] });
      return name;
    };

    interface Row {
      /** `METHOD /pattern` as registered. */
      route: string;
      /** The URL to call for one credential (placeholders filled from fixtures or fresh state). */
      url: (kind: Kind) => string | Promise<string>;
      body?: (kind: Kind) => object | Promise<object>;
      /** The call ends the credential (sign-out, switch): each cell gets a fresh one. */
      fresh?: boolean;
      expect: Record<Kind, Status>;
    }

    const selfService = (status: number, extra: Partial<Record<Kind, Status>> = {}) =>
      expect({
        session: status,
        orgSession: status,
        admin: status,
        delegatedScoped: status,
        personal: status,
        outsider: status,
        ...extra,
      });
    const sessionOnly = (status: number, extra: Partial<Record<Kind, Status>> = {}) =>
      expect({ session: status, orgSession: status, admin: status, outsider: status, ...extra });
    const administration = (status: number) =>
      expect({ admin: status, delegatedAdmin: status, serviceAdmin: status });
    /** Own keys: self-service, `api-keys:admin` for anyone's; another user's key is 404. */
    const ownKey = (status: number, apiKeyStatus: Status) =>
      selfService(status, {
        delegatedAdmin: status,
        serviceAdmin: status,
        apiKey: apiKeyStatus,
        outsider: 404,
      });

    const rows: Row[] = [
      // --- the Auth API ---
      {
        route: 'POST /api/v1/auth/logout',
        url: () => '/api/v1/auth/logout',
        fresh: true,
        expect: sessionOnly(204),
      },
      {
        route: 'GET /api/v1/auth/me',
        url: () => '/api/v1/auth/me',
        expect: selfService(200),
      },
      {
        route: 'POST /api/v1/auth/switch-org',
        url: () => '/api/v1/auth/switch-org',
        body: () => ({ organization_id: f.orgA }),
        fresh: true,
        // The global admin and the outsider are no members of A: access_denied.
        expect: expect({ session: 200, orgSession: 200 }),
      },
      // --- organizations ---
      {
        route: 'POST /api/v1/organizations',
        url: () => '/api/v1/organizations',
        body: () => ({ name: next('Org') }),
        expect: selfService(201),
      },
      {
        route: 'GET /api/v1/organizations',
        url: () => '/api/v1/organizations',
        expect: selfService(200),
      },
      {
        route: 'GET /api/v1/organizations/:id/members',
        url: () => `/api/v1/organizations/${f.orgA}/members`,
        // Non-members (the global admin included) see no organization at all.
        expect: selfService(200, { admin: 404, outsider: 404 }),
      },
      {
        route: 'POST /api/v1/organizations/:id/invitations',
        url: () => `/api/v1/organizations/${f.orgA}/invitations`,
        body: () => ({ email: `${next('invitee')}@example.com` }),
        // members:invite counts only in a session acting for A. The spec leaves open whether
        // a non-member global admin is refused as a stranger (404), for the org context (403),
        // or allowed by a global grant (202).
        expect: expect({ orgSession: 202, admin: [202, 403, 404], outsider: [403, 404] }),
      },
      {
        route: 'POST /api/v1/organizations/invitations/accept',
        url: () => '/api/v1/organizations/invitations/accept',
        body: async (kind) => {
          // A fresh organization of another user inviting this credential's user.
          const name = next('Inviting');
          const host = await signIn(server, f.host);
          const created = await server.app.inject({
            method: 'POST',
            url: '/api/v1/organizations',
            headers: bearer(host.access_token),
            payload: { name },
          });
          assert.equal(created.statusCode, 201, created.body);
          const orgId = (created.json() as { id: string }).id;
          const switched = await orgSession(server, f.host, orgId);
          const email = userOf(kind).email;
          const invited = await server.app.inject({
            method: 'POST',
            url: `/api/v1/organizations/${orgId}/invitations`,
            headers: bearer(switched.access_token),
            payload: { email },
          });
          assert.equal(invited.statusCode, 202, invited.body);
          return { token: await invitationToken(server, email, name) };
        },
        expect: selfService(200),
      },
      {
        route: 'DELETE /api/v1/organizations/:id/members/:userId',
        url: async () => {
          const member = await server.createUser();
          await ctxOf().repos.organizations.addMember(f.orgA, member.id, ctxOf().clock.now());
          return `/api/v1/organizations/${f.orgA}/members/${member.id}`;
        },
        // members:remove counts only in a session acting for A (the plain user's orgSession).
        expect: expect({ orgSession: 204, admin: [204, 403, 404], outsider: [403, 404] }),
      },
      // --- personal access tokens: a sign-in only ---
      {
        route: 'GET /oauth/personal-access-tokens',
        url: () => '/oauth/personal-access-tokens',
        expect: sessionOnly(200),
      },
      {
        route: 'POST /oauth/personal-access-tokens',
        url: () => '/oauth/personal-access-tokens',
        body: () => ({ name: next('pat'), scopes: ['profile'] }),
        expect: sessionOnly(201),
      },
      {
        route: 'DELETE /oauth/personal-access-tokens/:id',
        url: async () => {
          const { id } = await personalToken(server, f.plainSession, ['profile']);
          return `/oauth/personal-access-tokens/${id}`;
        },
        // Another user's token is none of theirs.
        expect: sessionOnly(204, { admin: 404, outsider: 404 }),
      },
      // --- OIDC userinfo: a user's token with `openid` (unchanged) ---
      ...(['GET', 'POST'] as const).map((method): Row => ({
        route: `${method} /oauth/userinfo`,
        url: () => '/oauth/userinfo',
        // Sign-ins and personal tokens carry no `openid` unless asked for; a credential that
        // is no user's access token is no token for userinfo.
        expect: expect({
          session: [200, 403],
          orgSession: [200, 403],
          admin: [200, 403],
          outsider: [200, 403],
          delegated: 200,
          delegatedScoped: 200,
          delegatedAdmin: 200,
          service: [401, 403],
          serviceAdmin: [401, 403],
          apiKey: [401, 403],
        }),
      })),
      // --- roles and permissions: global administrative grants only ---
      { route: 'GET /api/v1/roles', url: () => '/api/v1/roles', expect: administration(200) },
      {
        route: 'GET /api/v1/roles/:name',
        url: () => `/api/v1/roles/${f.emptyRole}`,
        expect: administration(200),
      },
      {
        route: 'GET /api/v1/permissions',
        url: () => '/api/v1/permissions',
        expect: administration(200),
      },
      {
        route: 'GET /api/v1/users/:id/roles',
        url: () => `/api/v1/users/${f.plain.id}/roles`,
        expect: administration(200),
      },
      {
        route: 'POST /api/v1/roles',
        url: () => '/api/v1/roles',
        body: () => ({ name: next('made').replace(/[^a-z0-9-]/g, ''), permissions: [] }),
        expect: administration(201),
      },
      {
        route: 'PATCH /api/v1/roles/:name',
        url: async () => `/api/v1/roles/${await freshRole()}`,
        body: () => ({ description: 'changed by the matrix' }),
        expect: administration(200),
      },
      {
        route: 'DELETE /api/v1/roles/:name',
        url: async () => `/api/v1/roles/${await freshRole()}`,
        expect: administration(204),
      },
      {
        route: 'POST /api/v1/permissions',
        url: () => '/api/v1/permissions',
        body: () => ({ name: `matrix:${next('p').replace(/[^a-z0-9-]/g, '')}` }),
        expect: administration(201),
      },
      {
        route: 'POST /api/v1/users/:id/roles',
        url: async () => `/api/v1/users/${(await server.createUser()).id}/roles`,
        body: () => ({ role: f.emptyRole }),
        expect: administration(200),
      },
      {
        route: 'DELETE /api/v1/users/:id/roles/:role',
        url: async () => {
          const target = await server.createUser();
          await assignRole(ctxOf(), target.id, f.emptyRole);
          return `/api/v1/users/${target.id}/roles/${f.emptyRole}`;
        },
        expect: administration(200),
      },
      // --- API keys: one's own with api-keys:read|write, anyone's with api-keys:admin ---
      {
        route: 'GET /api/v1/api-keys',
        url: () => '/api/v1/api-keys',
        expect: selfService(200, { delegatedAdmin: 200, serviceAdmin: 200, apiKey: 200 }),
      },
      {
        route: 'POST /api/v1/api-keys',
        url: () => '/api/v1/api-keys',
        body: () => ({ name: next('key'), scopes: [] }),
        expect: selfService(201, { delegatedAdmin: 201, serviceAdmin: 201 }),
      },
      {
        route: 'GET /api/v1/api-keys/self',
        url: () => '/api/v1/api-keys/self',
        // The API key itself: any other credential is no API key.
        expect: expect({ apiKey: 200 }, 401),
      },
      {
        route: 'GET /api/v1/api-keys/:id',
        url: () => `/api/v1/api-keys/${f.plainKeyId}`,
        expect: ownKey(200, 200),
      },
      {
        route: 'PATCH /api/v1/api-keys/:id',
        url: () => `/api/v1/api-keys/${f.plainKeyId}`,
        body: () => ({ name: next('renamed') }),
        expect: ownKey(200, 403),
      },
      {
        route: 'GET /api/v1/api-keys/:id/usage',
        url: () => `/api/v1/api-keys/${f.plainKeyId}/usage`,
        expect: ownKey(200, 200),
      },
      {
        route: 'POST /api/v1/api-keys/:id/rotate',
        url: async () => `/api/v1/api-keys/${await freshKey()}/rotate`,
        expect: ownKey(201, 403),
      },
      {
        route: 'POST /api/v1/api-keys/:id/revoke',
        url: async () => `/api/v1/api-keys/${await freshKey()}/revoke`,
        expect: ownKey(200, 403),
      },
      {
        route: 'DELETE /api/v1/api-keys/:id',
        url: async () => `/api/v1/api-keys/${await freshKey()}`,
        expect: ownKey(200, 403),
      },
    ];

    test('every route under /api/v1 and /oauth that needs a caller has a row', async () => {
      const registered: string[] = [];
      const probe = Fastify();
      probe.addHook('onRoute', (route) => {
        const methods = Array.isArray(route.method) ? route.method : [route.method];
        for (const method of methods) {
          if (method === 'HEAD' || method === 'OPTIONS') continue;
          if (/^\/(api\/v1|oauth)(\/|$)/.test(route.url)) registered.push(`${method} ${route.url}`);
        }
      });
      await probe.register(portcullisPlugin, { ctx: server.portcullis.ctx });
      await probe.ready();
      await probe.close();
      const covered = new Set(rows.map((row) => normalize(row.route)));
      const missing = registered.filter(
        (route) => !PUBLIC.has(route) && !covered.has(normalize(route)),
      );
      assert.deepEqual(missing, [], 'routes without a row in the authority matrix');
      const stale = rows
        .map((row) => row.route)
        .filter((route) => !registered.some((r) => normalize(r) === normalize(route)));
      assert.deepEqual(stale, [], 'rows for routes the server does not register');
    });

    for (const row of rows) {
      test(row.route, async () => {
        const [method] = row.route.split(' ') as ['GET' | 'POST' | 'PATCH' | 'DELETE', ...string[]];
        const wrong: string[] = [];
        for (const kind of KINDS) {
          const credential = row.fresh ? await f.mint[kind]() : f.shared[kind];
          const url = await row.url(kind);
          const body = row.body ? await row.body(kind) : undefined;
          const response = await server.app.inject({
            method,
            url,
            headers: bearer(credential),
            ...(body ? { payload: body } : {}),
          });
          const want = row.expect[kind];
          const allowed = typeof want === 'number' ? [want] : want;
          if (!allowed.includes(response.statusCode)) {
            wrong.push(
              `${kind}: ${response.statusCode} (want ${allowed.join('|')}) ${response.body.slice(0, 160)}`,
            );
          } else if (
            kind === 'none' &&
            !/^Bearer/i.test(String(response.headers['www-authenticate']))
          ) {
            wrong.push(`none: 401 without a Bearer challenge`);
          }
        }
        assert.deepEqual(wrong, [], `${row.route}: cells that answer otherwise`);
      });
    }
  });
}
