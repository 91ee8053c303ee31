import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CoreContext } from '../../core/context.js';
import { switchOrganization } from '../../core/accounts/token-pairs.js';
import {
  acceptInvitationAs,
  createOrganizationFor,
  inviteAs,
  memberOrganization,
  organizationsOf,
  removeMemberAs,
} from '../../core/rbac/organization-membership.js';
import { OAuthError } from '../../core/oauth/errors.js';
import type { Organization } from '../../core/rbac/organization.js';
import { requestCaller } from '../caller.js';
import { NO_STORE } from './schemas.js';
import { problemSchema } from './api-key-schemas.js';
import { tokenPairSchema } from './auth.js';

const orgSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    slug: { type: 'string' },
    name: { type: 'string' },
    created_at: { type: 'string', format: 'date-time' },
  },
} as const;
const orgView = (org: Organization) => ({
  id: org.id,
  slug: org.slug,
  name: org.name,
  created_at: new Date(org.createdAt).toISOString(),
});
const idParams = {
  type: 'object',
  properties: { id: { type: 'string', maxLength: 64 } },
  required: ['id'],
} as const;
const errors = { '4xx': problemSchema };

/**
 * Organizations for users (`/api/v1/organizations`): create one (its creator holds `admin`
 * there), list one's own, see members, invite by email (needs `members:invite` there), remove a
 * member or leave, accept an invitation, and switch the session's organization. The rules live in
 * `core/rbac/organization-membership.ts`.
 */
export async function organizationRoutes(app: FastifyInstance, { ctx }: { ctx: CoreContext }) {
  const common = { tags: ['organizations'], security: [{ bearer: [] }] };
  const caller = (request: FastifyRequest) => requestCaller(ctx, request);

  app.post<{ Body: { name: string; slug?: string } }>(
    '/api/v1/organizations',
    {
      schema: {
        ...common,
        summary: 'Create an organization; its creator becomes a member with the admin role there',
        body: {
          type: 'object',
          properties: {
            name: { type: 'string', maxLength: 200 },
            slug: { type: 'string', maxLength: 64 },
          },
          required: ['name'],
        },
        response: { 201: orgSchema, ...errors },
      },
    },
    async (request, reply) => {
      const org = await createOrganizationFor(ctx, await caller(request), request.body);
      return reply.code(201).headers(NO_STORE).send(orgView(org));
    },
  );

  app.get(
    '/api/v1/organizations',
    {
      schema: {
        ...common,
        summary: "The caller's organizations",
        response: { 200: { type: 'array', items: orgSchema }, ...errors },
      },
    },
    async (request, reply) => {
      const orgs = await organizationsOf(ctx, await caller(request));
      return reply.headers(NO_STORE).send(orgs.map(orgView));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/organizations/:id/members',
    {
      schema: {
        ...common,
        summary: 'Members of an organization the caller belongs to',
        params: idParams,
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                email: { type: 'string' },
                name: { type: ['string', 'null'] },
                joined_at: { type: 'string', format: 'date-time' },
              },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const org = await memberOrganization(ctx, await caller(request), request.params.id);
      const members = await ctx.repos.organizations.members(org.id, 1000);
      return reply.headers(NO_STORE).send(
        members.map((m) => ({
          id: m.userId,
          email: m.email,
          name: m.name,
          joined_at: new Date(m.joinedAt).toISOString(),
        })),
      );
    },
  );

  app.post<{ Params: { id: string }; Body: { email: string; role?: string } }>(
    '/api/v1/organizations/:id/invitations',
    {
      schema: {
        ...common,
        summary: 'Invite an email (with a role there, optionally): a single-use token is mailed',
        params: idParams,
        body: {
          type: 'object',
          properties: {
            email: { type: 'string', maxLength: 254 },
            role: { type: 'string', maxLength: 64 },
          },
          required: ['email'],
        },
        response: {
          202: { type: 'object', properties: { message: { type: 'string' } } },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      await inviteAs(ctx, await caller(request), request.params.id, {
        email: request.body.email,
        role: request.body.role ?? null,
        ip: request.ip,
      });
      return reply.code(202).headers(NO_STORE).send({ message: 'the invitation is on its way' });
    },
  );

  app.delete<{ Params: { id: string; userId: string } }>(
    '/api/v1/organizations/:id/members/:userId',
    {
      schema: {
        ...common,
        summary:
          'Remove a member (needs members:remove there) or leave; their roles, sessions and API keys there end',
        params: {
          type: 'object',
          properties: {
            id: { type: 'string', maxLength: 64 },
            userId: { type: 'string', maxLength: 64 },
          },
          required: ['id', 'userId'],
        },
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await removeMemberAs(ctx, await caller(request), request.params.id, request.params.userId);
      return reply.code(204).headers(NO_STORE).send();
    },
  );

  app.post<{ Body: { token: string } }>(
    '/api/v1/organizations/invitations/accept',
    {
      schema: {
        ...common,
        summary: 'Accept an invitation mailed to the signed-in address',
        body: {
          type: 'object',
          properties: { token: { type: 'string', minLength: 1, maxLength: 256 } },
          required: ['token'],
        },
        response: { 200: orgSchema, ...errors },
      },
    },
    async (request, reply) => {
      const org = await acceptInvitationAs(ctx, await caller(request), request.body.token);
      if (!org)
        throw new OAuthError(
          'invalid_grant',
          'the invitation is invalid, already used, expired or for another address',
        );
      return reply.headers(NO_STORE).send(orgView(org));
    },
  );

  app.post<{ Body: { organization_id: string } }>(
    '/api/v1/auth/switch-org',
    {
      schema: {
        tags: ['auth'],
        security: [{ bearer: [] }],
        summary: 'A new token pair acting for another organization of the user (the old one ends)',
        body: {
          type: 'object',
          properties: { organization_id: { type: 'string', maxLength: 64 } },
          required: ['organization_id'],
        },
        response: { 200: tokenPairSchema, ...errors },
      },
    },
    async (request, reply) => {
      const pair = await switchOrganization(
        ctx,
        await caller(request),
        request.body.organization_id,
      );
      return reply.headers(NO_STORE).send(pair);
    },
  );
}
