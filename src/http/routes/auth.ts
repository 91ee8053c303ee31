import type { FastifyInstance } from 'fastify';
import type { CoreContext } from '../../core/context.js';
import {
  forgotPassword,
  register,
  resetPassword,
  verifyEmail,
} from '../../core/accounts/accounts.js';
import { login, logout, me, refresh } from '../../core/accounts/token-pairs.js';
import { OAuthError } from '../../core/oauth/errors.js';
import { requestCaller } from '../caller.js';
import { NO_STORE } from './schemas.js';
import { problemSchema } from './api-key-schemas.js';

const email = { type: 'string', minLength: 3, maxLength: 254 } as const;
// Long enough for any passphrase; the policy has the final word (and a 256-character cap).
const password = { type: 'string', minLength: 1, maxLength: 1024 } as const;
const token = { type: 'string', minLength: 1, maxLength: 256 } as const;
const BODY_LIMIT = 16 * 1024;

/** Seed 004's token pair, as login, refresh and switch-org answer it. */
export const tokenPairSchema = {
  type: 'object',
  properties: {
    access_token: { type: 'string' },
    refresh_token: { type: 'string' },
    token_type: { type: 'string', enum: ['Bearer'] },
    expires_in: { type: 'integer' },
  },
  required: ['access_token', 'refresh_token', 'token_type', 'expires_in'],
} as const;
const accepted = {
  type: 'object',
  properties: { message: { type: 'string' } },
  required: ['message'],
} as const;
const errors = { '4xx': problemSchema };
const linkFailed = () =>
  new OAuthError('invalid_grant', 'the link is invalid, already used or expired');

/**
 * The auth API (`/api/v1/auth/*`, seeds 003 and 004): register, confirm the email, sign in for a
 * token pair, refresh it, sign out, who am I, and the password reset by mail. `POST /token` is
 * seed 003's form sign-in (`username`, `password`).
 */
export async function authRoutes(app: FastifyInstance, { ctx }: { ctx: CoreContext }) {
  const tags = ['auth'];

  app.post<{ Body: { email: string; password: string; name?: string } }>(
    '/api/v1/auth/register',
    {
      bodyLimit: BODY_LIMIT,
      schema: {
        tags,
        summary:
          'Create an account; a confirmation link is mailed (the same answer for a taken email)',
        body: {
          type: 'object',
          properties: { email, password, name: { type: 'string', maxLength: 200 } },
          required: ['email', 'password'],
          additionalProperties: false,
        },
        response: { 202: accepted, ...errors },
      },
    },
    async (request, reply) => {
      await register(ctx, request.body, { ip: request.ip });
      return reply
        .code(202)
        .headers(NO_STORE)
        .send({ message: 'check your mailbox: we sent a link to confirm the address' });
    },
  );

  const confirm = async (value: string | undefined) => {
    if (!value || !(await verifyEmail(ctx, value))) throw linkFailed();
    return { verified: true };
  };
  app.post<{ Body: { token: string } }>(
    '/api/v1/auth/verify-email',
    {
      bodyLimit: BODY_LIMIT,
      schema: {
        tags,
        summary: 'Confirm an email address with the mailed token',
        body: { type: 'object', properties: { token }, required: ['token'] },
        response: {
          200: { type: 'object', properties: { verified: { type: 'boolean' } } },
          ...errors,
        },
      },
    },
    async (request, reply) => reply.headers(NO_STORE).send(await confirm(request.body.token)),
  );
  app.get<{ Querystring: { token?: string } }>(
    '/api/v1/auth/verify-email',
    {
      schema: {
        tags,
        summary: 'The mailed confirmation link',
        querystring: { type: 'object', properties: { token } },
        response: {
          200: { type: 'object', properties: { verified: { type: 'boolean' } } },
          ...errors,
        },
      },
    },
    async (request, reply) => reply.headers(NO_STORE).send(await confirm(request.query.token)),
  );

  app.post<{ Body: { email: string; password: string } }>(
    '/api/v1/auth/login',
    {
      bodyLimit: BODY_LIMIT,
      schema: {
        tags,
        summary: 'Sign in: a token pair (the same error for an unknown email and a wrong password)',
        body: {
          type: 'object',
          properties: { email, password },
          required: ['email', 'password'],
        },
        response: { 200: tokenPairSchema, ...errors },
      },
    },
    async (request, reply) => {
      const tokens = await login(ctx, { ...request.body, ip: request.ip });
      return reply.headers(NO_STORE).send(tokens);
    },
  );

  app.post<{ Body: { username?: string; password?: string } }>(
    '/token',
    {
      bodyLimit: BODY_LIMIT,
      schema: {
        tags,
        summary: "Seed 003's form sign-in (OAuth2PasswordRequestForm): username and password",
        consumes: ['application/x-www-form-urlencoded'],
        body: {
          type: 'object',
          properties: { username: email, password, grant_type: { type: 'string', maxLength: 32 } },
          required: ['username', 'password'],
        },
        response: { 200: tokenPairSchema, '4xx': { type: 'object', additionalProperties: true } },
      },
    },
    async (request, reply) => {
      const tokens = await login(ctx, {
        email: request.body.username!,
        password: request.body.password!,
        ip: request.ip,
      });
      return reply.headers(NO_STORE).send(tokens);
    },
  );

  app.post<{ Body: { refresh_token: string } }>(
    '/api/v1/auth/refresh',
    {
      bodyLimit: BODY_LIMIT,
      schema: {
        tags,
        summary: 'A new token pair for a refresh token (rotation; a reused one revokes the family)',
        body: {
          type: 'object',
          properties: { refresh_token: { type: 'string', minLength: 1, maxLength: 512 } },
          required: ['refresh_token'],
        },
        response: { 200: tokenPairSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.headers(NO_STORE).send(await refresh(ctx, request.body.refresh_token)),
  );

  app.post(
    '/api/v1/auth/logout',
    {
      schema: {
        tags,
        summary: 'Sign out: revoke the presented sign-in token and its refresh token family',
        security: [{ bearer: [] }],
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await logout(ctx, await requestCaller(ctx, request));
      return reply.code(204).headers(NO_STORE).send();
    },
  );

  app.get(
    '/api/v1/auth/me',
    {
      schema: {
        tags,
        summary:
          'The signed-in user with roles, permissions and organizations (other apps need the profile scope, and email for the address)',
        security: [{ bearer: [] }],
        response: {
          200: {
            type: 'object',
            properties: {
              id: { type: 'string' },
              email: { type: 'string' },
              name: { type: ['string', 'null'] },
              email_verified: { type: 'boolean' },
              org: { type: ['string', 'null'] },
              roles: { type: 'array', items: { type: 'string' } },
              permissions: { type: 'array', items: { type: 'string' } },
              organizations: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    slug: { type: 'string' },
                    name: { type: 'string' },
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
      const who = await me(ctx, await requestCaller(ctx, request));
      return reply.headers(NO_STORE).send({
        id: who.user.id,
        ...(who.email !== null ? { email: who.email } : {}),
        name: who.user.name,
        email_verified: who.user.emailVerifiedAt !== null,
        org: who.org,
        roles: who.roles,
        permissions: who.permissions,
        organizations: who.organizations.map((o) => ({ id: o.id, slug: o.slug, name: o.name })),
      });
    },
  );

  app.post<{ Body: { email: string } }>(
    '/api/v1/auth/forgot-password',
    {
      bodyLimit: BODY_LIMIT,
      schema: {
        tags,
        summary: 'Mail a password reset link (the same answer whether the account exists or not)',
        body: { type: 'object', properties: { email }, required: ['email'] },
        response: { 202: accepted, ...errors },
      },
    },
    async (request, reply) => {
      await forgotPassword(ctx, request.body.email, { ip: request.ip });
      return reply
        .code(202)
        .headers(NO_STORE)
        .send({ message: 'if an account uses this address, a reset link is on its way' });
    },
  );

  app.post<{ Body: { token: string; password: string } }>(
    '/api/v1/auth/reset-password',
    {
      bodyLimit: BODY_LIMIT,
      schema: {
        tags,
        summary: 'Set a new password with the mailed token; signs the account out everywhere',
        body: { type: 'object', properties: { token, password }, required: ['token', 'password'] },
        response: {
          200: { type: 'object', properties: { reset: { type: 'boolean' } } },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      if (!(await resetPassword(ctx, request.body.token, request.body.password)))
        throw linkFailed();
      return reply.headers(NO_STORE).send({ reset: true });
    },
  );
}
