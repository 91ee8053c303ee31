import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CoreContext } from '../../core/context.js';
import { sessionOf, switchOrganization } from '../../core/accounts/token-pairs.js';
import { createOrganization } from '../../core/rbac/manage-organizations.js';
import { acceptInvitation, inviteMember } from '../../core/rbac/invitations.js';
import { can } from '../../core/rbac/authorization.js';
import { ADMIN_ROLE } from '../../core/rbac/rbac.js';
import { NotFoundError } from '../../core/entity-errors.js';
import { OAuthError } from '../../core/oauth/errors.js';
import type { Organization } from '../../core/rbac/organization.js';
import { bearerToken } from '../bearer.js';
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
 * Organizations for signed-in users (`/api/v1/organizations`): create one (its creator holds
 * `admin` there), list one's own, see members, invite by email (needs `members:invite` in that
 * organization), accept an invitation, and switch the session's organization.
 */
export async function organizationRoutes(app: FastifyInstance, { ctx }: { ctx: CoreContext }) {
  const common = { tags: ['organizations'], security: [{ bearer: [] }] };
  const session = (request: FastifyRequest) => sessionOf(ctx, bearerToken(request));
  /** The organization, if the caller is a member: others look like no organization at all. */
  const memberOf = async (userId: string, id: string) => {
    const org = await ctx.repos.organizations.findById(id);
    if (!org || !(await ctx.repos.organizations.isMember(org.id, userId)))
      throw new NotFoundError('organization', id);
    return org;
  };

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
      const { user } = await session(request);
      const org = await createOrganization(ctx, request.body);
      const now = ctx.clock.now();
      await ctx.repos.organizations.addMember(org.id, user.id, now);
      const admin = await ctx.repos.rbac.findRoleByName(ADMIN_ROLE);
      if (admin) await ctx.repos.rbac.grantRole(user.id, admin.id, org.id, now);
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
      const { user } = await session(request);
      const orgs = await ctx.repos.organizations.membershipsOf(user.id);
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
      const { user } = await session(request);
      const org = await memberOf(user.id, request.params.id);
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
      const { user } = await session(request);
      const org = await memberOf(user.id, request.params.id);
      if (!(await can(ctx, user.id, 'members:invite', { org: org.id })))
        throw new OAuthError(
          'insufficient_scope',
          'inviting needs the permission members:invite here',
        );
      await inviteMember(ctx, org, {
        email: request.body.email,
        role: request.body.role ?? null,
        invitedBy: user.id,
        ip: request.ip,
      });
      return reply.code(202).headers(NO_STORE).send({ message: 'the invitation is on its way' });
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
      const { user } = await session(request);
      const org = await acceptInvitation(ctx, user.id, request.body.token);
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
        bearerToken(request),
        request.body.organization_id,
      );
      return reply.headers(NO_STORE).send(pair);
    },
  );
}
