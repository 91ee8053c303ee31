import { DEFINABLE_SCOPE } from '../core/scopes/match.js';
import { z } from 'zod';

const scopeName = z
  .string()
  .max(200)
  .regex(DEFINABLE_SCOPE, 'a scope is `name` or `resource:action`');

/** Default scopes: the OIDC ones plus a wildcard-friendly example set. */
export const DEFAULT_SCOPES: Record<string, string> = {
  openid: 'Sign you in with OpenID Connect',
  profile: 'Read your name',
  email: 'Read your email address',
  offline_access: 'Stay signed in (refresh tokens)',
  'users:read': 'Read users',
  'users:write': 'Create and update users',
};

/**
 * The whole configuration of a Portcullis server. Every key has its default here and nowhere
 * else; `docs/configuration.md` is tested against this schema.
 */
export const configSchema = z
  .object({
    /** Public base URL of the server; `iss` of every token. Defaults to http://{host}:{port}. */
    issuer: z
      .url({ protocol: /^https?$/ })
      .refine((value) => {
        if (!URL.canParse(value)) return true; // reported by url() already
        const url = new URL(value);
        return !url.search && !url.hash && !url.username && !url.password;
      }, 'the issuer is an http(s) URL without query, fragment or credentials (RFC 8414 §2)')
      .optional(),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.coerce.number().int().min(0).max(65535).default(8000),
    /** `sqlite:<path>` / a file path, or `postgres://…`. */
    databaseUrl: z.string().min(1).default('sqlite:storage/portcullis.db'),
    redisUrl: z.string().url().optional(),
    storageDir: z.string().min(1).default('storage'),
    logLevel: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    /** Trust X-Forwarded-* from a proxy: true, or a list of proxy addresses/CIDRs. */
    trustProxy: z.union([z.boolean(), z.array(z.string())]).default(false),
    // Upper bounds keep every expiry a valid date (and a sane security posture).
    accessTokenExpireMinutes: z.coerce.number().int().positive().max(1440).default(60),
    refreshTokenExpireDays: z.coerce.number().int().positive().max(3650).default(30),
    personalAccessTokenExpireDays: z.coerce.number().int().positive().max(3650).default(365),
    authorizationCodeTtlSeconds: z.coerce.number().int().positive().max(600).default(60),
    idTokenExpireMinutes: z.coerce.number().int().positive().max(1440).default(60),
    loginSessionHours: z.coerce.number().int().positive().max(8760).default(12),
    requirePkce: z.boolean().default(true),
    enforceHttps: z.boolean().default(false),
    /** `aud` of access tokens; defaults to the issuer. */
    accessTokenAudience: z.string().min(1).optional(),
    signingAlgorithm: z.enum(['RS256', 'ES256', 'EdDSA']).default('RS256'),
    /** PEM of the signing key, instead of files in storage/oauth2 (multi-node deployments). */
    privateKeyPem: z.string().optional(),
    scopes: z.record(scopeName, z.string()).default(DEFAULT_SCOPES),
    /** Scopes granted when a client asks for none. */
    defaultScopes: z.array(scopeName).default([]),
    /** Brute-force limits on password sign-in (login page and password grant). */
    loginThrottle: z
      .object({
        attemptsPerAccountAndIp: z.number().int().positive().default(5),
        attemptsPerAccount: z.number().int().positive().default(20),
        attemptsPerIp: z.number().int().positive().default(100),
        windowMinutes: z.number().int().positive().default(15),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema> & { issuer: string };
