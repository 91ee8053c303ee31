import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CoreContext } from '../../core/context.js';
import { findRole } from '../../core/rbac/manage-roles.js';
import {
  assignRoleAs,
  createRoleAs,
  definePermissionAs,
  deleteRoleAs,
  removeRoleAs,
  requireRoleReader,
  updateRoleAs,
} from '../../core/rbac/administer-roles.js';
import { findUser } from '../../core/rbac/manage-grants.js';
import { userDetails } from '../../core/users/manage-users.js';
import type { Role } from '../../core/rbac/rbac.js';
import { requestCaller } from '../caller.js';
import { NO_STORE } from './schemas.js';
import { problemSchema } from './api-key-schemas.js';

const roleSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    description: { type: 'string' },
    permissions: { type: 'array', items: { type: 'string' } },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
  required: ['name', 'description', 'permissions'],
} as const;
const permissionList = {
  type: 'array',
  items: { type: 'string', minLength: 1, maxLength: 128 },
  maxItems: 200,
} as const;
const nameParams = {
  type: 'object',
  properties: { name: { type: 'string', maxLength: 64 } },
  required: ['name'],
} as const;
const userParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 254 } },
  required: ['id'],
} as const;
const errors = { '4xx': problemSchema };

const roleView = (role: Role) => ({
  name: role.name,
  description: role.description,
  permissions: role.permissions,
  created_at: new Date(role.createdAt).toISOString(),
  updated_at: new Date(role.updatedAt).toISOString(),
});

/**
 * RBAC administration: `/api/v1/roles`, `/api/v1/permissions`, `/api/v1/users/{id}/roles`.
 * Reading needs `roles:read`, changing `roles:write` (the `admin` role has both); no caller
 * grants more than they hold (core/rbac/administer-roles.ts).
 */
export async function rbacRoutes(app: FastifyInstance, { ctx }: { ctx: CoreContext }) {
  const common = { tags: ['roles and permissions'], security: [{ bearer: [] }] };
  const reader = async (request: FastifyRequest) =>
    requireRoleReader(ctx, await requestCaller(ctx, request));

  app.get(
    '/api/v1/roles',
    {
      schema: {
        ...common,
        summary: 'List roles',
        response: { 200: { type: 'array', items: roleSchema }, ...errors },
      },
    },
    async (request, reply) => {
      await reader(request);
      return reply.headers(NO_STORE).send((await ctx.repos.rbac.listRoles()).map(roleView));
    },
  );

  app.post<{ Body: { name: string; description?: string; permissions?: string[] } }>(
    '/api/v1/roles',
    {
      schema: {
        ...common,
        summary: 'Create a role',
        body: {
          type: 'object',
          properties: {
            name: { type: 'string', maxLength: 64 },
            description: { type: 'string', maxLength: 500 },
            permissions: permissionList,
          },
          required: ['name'],
        },
        response: { 201: roleSchema, ...errors },
      },
    },
    async (request, reply) => {
      const role = await createRoleAs(ctx, await requestCaller(ctx, request), request.body);
      return reply.code(201).headers(NO_STORE).send(roleView(role));
    },
  );

  app.get<{ Params: { name: string } }>(
    '/api/v1/roles/:name',
    {
      schema: {
        ...common,
        summary: 'Show a role',
        params: nameParams,
        response: { 200: roleSchema, ...errors },
      },
    },
    async (request, reply) => {
      await reader(request);
      return reply.headers(NO_STORE).send(roleView(await findRole(ctx, request.params.name)));
    },
  );

  app.patch<{ Params: { name: string }; Body: { description?: string; permissions?: string[] } }>(
    '/api/v1/roles/:name',
    {
      schema: {
        ...common,
        summary: "Change a role's description or replace its permissions",
        params: nameParams,
        body: {
          type: 'object',
          properties: {
            description: { type: 'string', maxLength: 500 },
            permissions: permissionList,
          },
        },
        response: { 200: roleSchema, ...errors },
      },
    },
    async (request, reply) => {
      const caller = await requestCaller(ctx, request);
      const role = await updateRoleAs(ctx, caller, request.params.name, request.body);
      return reply.headers(NO_STORE).send(roleView(role));
    },
  );

  app.delete<{ Params: { name: string } }>(
    '/api/v1/roles/:name',
    {
      schema: {
        ...common,
        summary: 'Delete a role (and every grant of it)',
        params: nameParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await deleteRoleAs(ctx, await requestCaller(ctx, request), request.params.name);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/permissions',
    {
      schema: {
        ...common,
        summary: 'The permission catalogue',
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: { name: { type: 'string' }, description: { type: 'string' } },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      await reader(request);
      const permissions = await ctx.repos.rbac.listPermissions();
      return reply
        .headers(NO_STORE)
        .send(permissions.map((p) => ({ name: p.name, description: p.description })));
    },
  );

  app.post<{ Body: { name: string; description?: string } }>(
    '/api/v1/permissions',
    {
      schema: {
        ...common,
        summary: 'Add a permission to the catalogue',
        body: {
          type: 'object',
          properties: {
            name: { type: 'string', maxLength: 128 },
            description: { type: 'string', maxLength: 500 },
          },
          required: ['name'],
        },
        response: {
          201: {
            type: 'object',
            properties: { name: { type: 'string' }, created: { type: 'boolean' } },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const caller = await requestCaller(ctx, request);
      const { name, description } = request.body;
      const created = await definePermissionAs(ctx, caller, name, description);
      return reply.code(201).headers(NO_STORE).send({ name: request.body.name, created });
    },
  );

  const userRolesSchema = {
    type: 'object',
    properties: {
      user_id: { type: 'string' },
      roles: { type: 'array', items: { type: 'string' } },
      permissions: { type: 'array', items: { type: 'string' } },
      organizations: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            organization: { type: 'string' },
            roles: { type: 'array', items: { type: 'string' } },
            permissions: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
  } as const;
  const userRolesView = async (idOrEmail: string) => {
    const details = await userDetails(ctx, idOrEmail);
    return {
      user_id: details.user.id,
      roles: details.roles,
      permissions: details.permissions,
      organizations: details.organizationGrants.map((g) => ({
        organization: g.organization.id,
        roles: g.roles,
        permissions: g.permissions,
      })),
    };
  };

  app.get<{ Params: { id: string } }>(
    '/api/v1/users/:id/roles',
    {
      schema: {
        ...common,
        summary: "A user's roles and permissions, global and per organization",
        params: userParams,
        response: { 200: userRolesSchema, ...errors },
      },
    },
    async (request, reply) => {
      await reader(request);
      return reply.headers(NO_STORE).send(await userRolesView(request.params.id));
    },
  );

  app.post<{ Params: { id: string }; Body: { role: string; organization_id?: string | null } }>(
    '/api/v1/users/:id/roles',
    {
      schema: {
        ...common,
        summary: 'Give a user a role, everywhere or in one organization they belong to',
        params: userParams,
        body: {
          type: 'object',
          properties: {
            role: { type: 'string', maxLength: 64 },
            organization_id: { type: ['string', 'null'], maxLength: 64 },
          },
          required: ['role'],
        },
        response: { 200: userRolesSchema, ...errors },
      },
    },
    async (request, reply) => {
      const caller = await requestCaller(ctx, request);
      const { role, organization_id: org } = request.body;
      await assignRoleAs(ctx, caller, request.params.id, role, org);
      return reply.headers(NO_STORE).send(await userRolesView(request.params.id));
    },
  );

  app.delete<{ Params: { id: string; role: string }; Querystring: { organization_id?: string } }>(
    '/api/v1/users/:id/roles/:role',
    {
      schema: {
        ...common,
        summary: 'Take a role from a user (global, or in ?organization_id=)',
        params: {
          type: 'object',
          properties: {
            id: { type: 'string', maxLength: 254 },
            role: { type: 'string', maxLength: 64 },
          },
          required: ['id', 'role'],
        },
        querystring: {
          type: 'object',
          properties: { organization_id: { type: 'string', maxLength: 64 } },
        },
        response: { 200: userRolesSchema, ...errors },
      },
    },
    async (request, reply) => {
      const caller = await requestCaller(ctx, request);
      await findUser(ctx, request.params.id);
      const { id, role } = request.params;
      await removeRoleAs(ctx, caller, id, role, request.query.organization_id);
      return reply.headers(NO_STORE).send(await userRolesView(request.params.id));
    },
  );
}
