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
  roles: 'Share your roles and permissions with the app',
  'organizations:read': 'See your organizations and their members',
  'organizations:write': 'Create and join organizations for you',
  'api-keys:read': 'See your API keys and their usage',
  'api-keys:write': 'Create, change, rotate and revoke your API keys',
  'users:read': 'Read users (administrative)',
  'users:write': 'Create and update users (administrative)',
  'roles:read': 'See roles, permissions and who holds them (administrative)',
  'roles:write': 'Create and change roles and give them to users (administrative)',
  'api-keys:admin': "Manage every user's API keys and give any tier (administrative)",
};

const tierLimit = z
  .object({
    /** Requests allowed per window; null for no limit. */
    requests: z.number().int().positive().nullable(),
    perSeconds: z
      .number()
      .int()
      .positive()
      .max(86_400 * 31)
      .default(3600),
  })
  .strict();
const tierName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'a tier name is lower-case letters, digits, - and _');

/** The seed's tiers for live keys. */
export const DEFAULT_TIERS = {
  free: { requests: 1000, perSeconds: 3600 },
  pro: { requests: 10_000, perSeconds: 3600 },
  business: { requests: 50_000, perSeconds: 3600 },
  enterprise: { requests: null, perSeconds: 3600 },
};

/** Test keys: ten times the live limits (the seed: "higher rate limits"). */
export const DEFAULT_TEST_TIERS = {
  free: { requests: 10_000, perSeconds: 3600 },
  pro: { requests: 100_000, perSeconds: 3600 },
  business: { requests: 500_000, perSeconds: 3600 },
  enterprise: { requests: null, perSeconds: 3600 },
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
    /**
     * Limits on the endpoints that send mail (register, forgot-password, invitations): per
     * recipient address, counted whether or not an account uses it, and per client address.
     */
    mailThrottle: z
      .object({
        mailsPerAddress: z.number().int().positive().default(5),
        mailsPerIp: z.number().int().positive().default(20),
        windowMinutes: z.number().int().positive().max(1440).default(60),
      })
      .strict()
      .prefault({}),
    /** Mail (verification and reset links): SMTP when set, else `.eml` files in storage/mail. */
    smtpUrl: z
      .string()
      .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')
      .optional(),
    /** The From of the mail Portcullis sends. */
    mailFrom: z.string().min(3).max(320).default('Portcullis <no-reply@localhost>'),
    /** Self-service accounts under /api/v1/auth: registration, password policy, link lifetimes. */
    accounts: z
      .object({
        /** Let anyone register (POST /api/v1/auth/register). */
        registration: z.boolean().default(true),
        passwordMinLength: z.number().int().min(8).max(128).default(12),
        emailVerificationHours: z.number().int().positive().max(720).default(24),
        passwordResetMinutes: z.number().int().positive().max(1440).default(60),
        /** Sign-in with an unverified email is refused. */
        requireVerifiedEmail: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /** API keys: format, tiers and their rate limits, rotation, caching, usage, cleanup. */
    apiKeys: z
      .object({
        /** `sk` gives `sk_live_…` / `sk_test_…`. */
        prefix: z
          .string()
          .regex(/^[a-z]{2,8}$/, 'the prefix is 2 to 8 lower-case letters')
          .default('sk'),
        defaultTier: tierName.default('free'),
        /**
         * The highest tier (in the order `tiers` lists them) a user may give their own keys;
         * higher ones need `api-keys:admin`. Default: the default tier.
         */
        maxSelfServiceTier: tierName.optional(),
        tiers: z.record(tierName, tierLimit).default(DEFAULT_TIERS),
        testTiers: z.record(tierName, tierLimit).default(DEFAULT_TEST_TIERS),
        rotationGraceHours: z.number().int().min(0).max(720).default(24),
        /** Expired, revoked and rotated keys are deleted this long after they stopped working. */
        pruneAfterDays: z.number().int().min(0).max(3650).default(7),
        /** How often the server deletes them. */
        cleanupIntervalMinutes: z.number().int().positive().max(1440).default(60),
        /** Verified keys kept in memory (by digest); 0 turns the cache off. */
        cacheSize: z.number().int().min(0).max(1_000_000).default(10_000),
        /** How long a cached key is trusted without a change notice (Redis sends them at once). */
        cacheTtlSeconds: z.number().int().positive().max(3600).default(1),
        /** Usage counts are written in one batch this often. */
        usageFlushSeconds: z.number().int().positive().max(3600).default(5),
        /** Also accept the key in an `X-API-Key` header. */
        acceptXApiKeyHeader: z.boolean().default(true),
      })
      .strict()
      .refine((v) => v.defaultTier in v.tiers && v.defaultTier in v.testTiers, {
        message: 'defaultTier must be one of the tiers (and of testTiers)',
      })
      .refine((v) => v.maxSelfServiceTier === undefined || v.maxSelfServiceTier in v.tiers, {
        message: 'maxSelfServiceTier must be one of the tiers',
      })
      .refine(
        (v) => Object.keys(v.tiers).every((tier) => tier in v.testTiers),
        'every tier needs a limit for test keys too (testTiers)',
      )
      .prefault({}),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema> & { issuer: string };
