import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CoreContext } from '../../core/context.js';
import { findApiKey, revokeApiKey, rotateApiKey } from '../../core/apikeys/manage-api-key.js';
import {
  administersApiKeys,
  apiKeyOf,
  createApiKeyAs,
  updateApiKeyAs,
} from '../../core/apikeys/administer-api-keys.js';
import { requirePermission } from '../../core/authority/power.js';
import { InvalidInputError } from '../../core/entity-errors.js';
import { requestCaller } from '../caller.js';
import { requireApiKey } from '../api-key-auth.js';
import { NO_STORE } from './schemas.js';
import {
  apiKeySchema,
  createdSchema,
  idParams,
  nullableTime,
  problemSchema,
  scopeList,
} from './api-key-schemas.js';
import { apiKeyUsageReport, apiKeyView } from '../../core/apikeys/api-key-view.js';

interface CreateBody {
  name: string;
  scopes: string[];
  tier?: string;
  environment?: 'live' | 'test';
  expires_at?: string | null;
  metadata?: Record<string, unknown>;
  organization_id?: string | null;
  user_id?: string;
}

function parseTime(value: string | null | undefined): number | null {
  if (value === undefined || value === null) return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidInputError('expires_at must be an ISO 8601 date-time');
  return ms;
}

/**
 * The API-key management API (`/api/v1/api-keys`): create (the key shown once), list, show,
 * update, rotate, revoke and usage. A user manages their own keys (`api-keys:read` /
 * `api-keys:write`); every key needs `api-keys:admin` (core/apikeys/administer-api-keys.ts).
 * `GET /api/v1/api-keys/self` answers to the API key itself.
 */
export async function apiKeyRoutes(app: FastifyInstance, { ctx }: { ctx: CoreContext }) {
  const common = { tags: ['api keys'], security: [{ bearer: [] }] };
  const errors = { '4xx': problemSchema };
  /** The caller's key (any key for an administrator), or 404 as if it did not exist. */
  const keyFor = async (request: FastifyRequest, id: string, access: 'read' | 'write') =>
    apiKeyOf(ctx, await requestCaller(ctx, request), id, access);

  app.post<{ Body: CreateBody }>(
    '/api/v1/api-keys',
    {
      schema: {
        ...common,
        summary: 'Create an API key; the key is in the answer once and never again',
        body: {
          type: 'object',
          required: ['name', 'scopes'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            scopes: scopeList,
            tier: { type: 'string', maxLength: 32 },
            environment: { type: 'string', enum: ['live', 'test'] },
            expires_at: { type: ['string', 'null'], format: 'date-time' },
            metadata: { type: 'object', additionalProperties: true },
            organization_id: { type: ['string', 'null'], maxLength: 64 },
            user_id: { type: 'string', maxLength: 26, description: 'owner (administrators only)' },
          },
        },
        response: { 201: createdSchema, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const created = await createApiKeyAs(ctx, await requestCaller(ctx, request), {
        name: body.name,
        scopes: body.scopes,
        ...(body.tier !== undefined ? { tier: body.tier } : {}),
        ...(body.environment !== undefined ? { environment: body.environment } : {}),
        expiresAt: parseTime(body.expires_at),
        ...(body.metadata !== undefined ? { metadata: body.metadata } : {}),
        organizationId: body.organization_id ?? null,
        ...(body.user_id !== undefined ? { userId: body.user_id } : {}),
      });
      return reply
        .code(201)
        .headers(NO_STORE)
        .send({ ...apiKeyView(created.apiKey, ctx.clock.now()), key: created.key });
    },
  );

  app.get<{
    Querystring: { limit?: number; include_inactive?: boolean; organization_id?: string };
  }>(
    '/api/v1/api-keys',
    {
      schema: {
        ...common,
        summary: "List API keys (the caller's own; every key with api-keys:admin)",
        querystring: {
          type: 'object',
          properties: {
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
            include_inactive: { type: 'boolean', default: false },
            organization_id: { type: 'string', maxLength: 64 },
          },
        },
        response: { 200: { type: 'array', items: apiKeySchema }, ...errors },
      },
    },
    async (request, reply) => {
      const caller = await requestCaller(ctx, request);
      const admin = await administersApiKeys(ctx, caller);
      if (!admin) await requirePermission(ctx, caller, 'api-keys:read');
      const now = ctx.clock.now();
      const keys = await ctx.repos.apiKeys.list(
        {
          limit: request.query.limit ?? 100,
          includeInactive: request.query.include_inactive === true,
          ...(!admin ? { userId: caller.userId ?? '' } : {}),
          ...(request.query.organization_id !== undefined
            ? { organizationId: request.query.organization_id }
            : {}),
        },
        now,
      );
      return reply.headers(NO_STORE).send(keys.map((k) => apiKeyView(k, now)));
    },
  );

  app.get(
    '/api/v1/api-keys/self',
    {
      preHandler: requireApiKey(ctx),
      schema: {
        tags: ['api keys'],
        security: [{ apiKey: [] }],
        summary: 'The API key presented (Bearer, Basic or X-API-Key), with its rate-limit headers',
        response: { 200: apiKeySchema, ...errors },
      },
    },
    async (request, reply) => {
      const key = await findApiKey(ctx, request.apiKey!.id);
      return reply.headers(NO_STORE).send(apiKeyView(key, ctx.clock.now()));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/api-keys/:id',
    {
      schema: {
        ...common,
        summary: 'Show an API key',
        params: idParams,
        response: { 200: apiKeySchema, ...errors },
      },
    },
    async (request, reply) => {
      const key = await keyFor(request, request.params.id, 'read');
      return reply.headers(NO_STORE).send(apiKeyView(key, ctx.clock.now()));
    },
  );

  app.patch<{
    Params: { id: string };
    Body: { name?: string; scopes?: string[]; tier?: string; metadata?: Record<string, unknown> };
  }>(
    '/api/v1/api-keys/:id',
    {
      schema: {
        ...common,
        summary: "Change an API key's name, scopes, tier or metadata (every node at once)",
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            scopes: scopeList,
            tier: { type: 'string', maxLength: 32 },
            metadata: { type: 'object', additionalProperties: true },
          },
        },
        response: { 200: apiKeySchema, ...errors },
      },
    },
    async (request, reply) => {
      const caller = await requestCaller(ctx, request);
      const updated = await updateApiKeyAs(ctx, caller, request.params.id, request.body);
      return reply.headers(NO_STORE).send(apiKeyView(updated, ctx.clock.now()));
    },
  );

  app.post<{ Params: { id: string }; Body: { grace_period_hours?: number } | undefined }>(
    '/api/v1/api-keys/:id/rotate',
    {
      schema: {
        ...common,
        summary: 'Rotate: a new key with the same settings; the old one works for the grace period',
        params: idParams,
        body: {
          type: ['object', 'null'],
          additionalProperties: false,
          properties: { grace_period_hours: { type: 'integer', minimum: 0, maximum: 720 } },
        },
        response: {
          201: {
            type: 'object',
            properties: { ...createdSchema.properties, previous: apiKeySchema },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const key = await keyFor(request, request.params.id, 'write');
      const hours = request.body?.grace_period_hours;
      const rotated = await rotateApiKey(
        ctx,
        key.id,
        hours !== undefined ? { graceHours: hours } : {},
      );
      const now = ctx.clock.now();
      return reply
        .code(201)
        .headers(NO_STORE)
        .send({
          ...apiKeyView(rotated.apiKey, now),
          key: rotated.key,
          previous: apiKeyView(rotated.previous, now),
        });
    },
  );

  const revoke = async (request: FastifyRequest<{ Params: { id: string } }>) => {
    const key = await keyFor(request, request.params.id, 'write');
    return apiKeyView((await revokeApiKey(ctx, key.id)).apiKey, ctx.clock.now());
  };
  const revokeSchema = {
    ...common,
    summary: 'Revoke an API key: refused at once, on every node',
    params: idParams,
    response: { 200: apiKeySchema, ...errors },
  };
  app.post<{ Params: { id: string } }>(
    '/api/v1/api-keys/:id/revoke',
    { schema: revokeSchema },
    async (request, reply) => reply.headers(NO_STORE).send(await revoke(request)),
  );
  app.delete<{ Params: { id: string } }>(
    '/api/v1/api-keys/:id',
    { schema: revokeSchema },
    async (request, reply) => reply.headers(NO_STORE).send(await revoke(request)),
  );

  app.get<{ Params: { id: string }; Querystring: { hours?: number } }>(
    '/api/v1/api-keys/:id/usage',
    {
      schema: {
        ...common,
        summary: 'Requests per hour and the last use of an API key',
        params: idParams,
        querystring: {
          type: 'object',
          properties: { hours: { type: 'integer', minimum: 1, maximum: 24 * 90, default: 24 } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              last_used_at: nullableTime,
              total: { type: 'integer' },
              hourly: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    hour: { type: 'string', format: 'date-time' },
                    requests: { type: 'integer' },
                  },
                },
              },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const key = await keyFor(request, request.params.id, 'read');
      const usage = await apiKeyUsageReport(ctx, key, request.query.hours ?? 24);
      return reply.headers(NO_STORE).send(usage);
    },
  );
}
