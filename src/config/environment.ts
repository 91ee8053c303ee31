import type { ConfigInput } from './schema.js';

/** Environment variables and the config keys they set. Seed names are accepted beside ours. */
export const ENVIRONMENT_VARIABLES: ReadonlyArray<{
  names: readonly string[];
  key: keyof ConfigInput;
  kind: 'string' | 'number' | 'boolean' | 'list';
}> = [
  { names: ['PORTCULLIS_ISSUER', 'OAUTH2_ISSUER', 'ISSUER_URL'], key: 'issuer', kind: 'string' },
  { names: ['PORTCULLIS_HOST', 'HOST'], key: 'host', kind: 'string' },
  { names: ['PORTCULLIS_PORT', 'PORT'], key: 'port', kind: 'number' },
  { names: ['PORTCULLIS_DATABASE_URL', 'DATABASE_URL'], key: 'databaseUrl', kind: 'string' },
  { names: ['PORTCULLIS_REDIS_URL', 'REDIS_URL'], key: 'redisUrl', kind: 'string' },
  { names: ['PORTCULLIS_STORAGE_DIR'], key: 'storageDir', kind: 'string' },
  { names: ['PORTCULLIS_LOG_LEVEL', 'LOG_LEVEL'], key: 'logLevel', kind: 'string' },
  { names: ['PORTCULLIS_TRUST_PROXY'], key: 'trustProxy', kind: 'list' },
  {
    names: ['PORTCULLIS_ACCESS_TOKEN_EXPIRE_MINUTES', 'OAUTH2_ACCESS_TOKEN_EXPIRE_MINUTES'],
    key: 'accessTokenExpireMinutes',
    kind: 'number',
  },
  {
    names: ['PORTCULLIS_REFRESH_TOKEN_EXPIRE_DAYS', 'OAUTH2_REFRESH_TOKEN_EXPIRE_DAYS'],
    key: 'refreshTokenExpireDays',
    kind: 'number',
  },
  {
    names: ['PORTCULLIS_PERSONAL_ACCESS_TOKEN_EXPIRE_DAYS'],
    key: 'personalAccessTokenExpireDays',
    kind: 'number',
  },
  {
    names: ['PORTCULLIS_AUTHORIZATION_CODE_TTL_SECONDS'],
    key: 'authorizationCodeTtlSeconds',
    kind: 'number',
  },
  {
    names: ['PORTCULLIS_REQUIRE_PKCE', 'OAUTH2_REQUIRE_PKCE'],
    key: 'requirePkce',
    kind: 'boolean',
  },
  {
    names: ['PORTCULLIS_ENFORCE_HTTPS', 'OAUTH2_ENFORCE_HTTPS'],
    key: 'enforceHttps',
    kind: 'boolean',
  },
  { names: ['PORTCULLIS_ACCESS_TOKEN_AUDIENCE'], key: 'accessTokenAudience', kind: 'string' },
  { names: ['PORTCULLIS_SIGNING_ALGORITHM'], key: 'signingAlgorithm', kind: 'string' },
  { names: ['PORTCULLIS_SMTP_URL', 'SMTP_URL'], key: 'smtpUrl', kind: 'string' },
  { names: ['PORTCULLIS_MAIL_FROM', 'MAIL_FROM'], key: 'mailFrom', kind: 'string' },
  { names: ['PORTCULLIS_PRIVATE_KEY', 'OAUTH2_PRIVATE_KEY'], key: 'privateKeyPem', kind: 'string' },
];

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads the recognised variables from `env`; a malformed boolean or number names its variable. */
export function readEnvironment(env: NodeJS.ProcessEnv): {
  values: Partial<Record<keyof ConfigInput, unknown>>;
  sources: Partial<Record<keyof ConfigInput, string>>;
} {
  const values: Partial<Record<keyof ConfigInput, unknown>> = {};
  const sources: Partial<Record<keyof ConfigInput, string>> = {};
  for (const variable of ENVIRONMENT_VARIABLES) {
    const name = variable.names.find((n) => env[n] !== undefined && env[n] !== '');
    if (!name) continue;
    const raw = env[name]!.trim();
    sources[variable.key] = name;
    switch (variable.kind) {
      case 'boolean': {
        const lower = raw.toLowerCase();
        if (!TRUE.has(lower) && !FALSE.has(lower)) {
          throw new ConfigError(`${name}=${raw} is invalid: expected true or false`);
        }
        values[variable.key] = TRUE.has(lower);
        break;
      }
      case 'number':
        if (!/^-?\d+$/.test(raw)) {
          throw new ConfigError(`${name}=${raw} is invalid: expected a whole number`);
        }
        values[variable.key] = Number(raw);
        break;
      case 'list': {
        const lower = raw.toLowerCase();
        values[variable.key] = TRUE.has(lower)
          ? true
          : FALSE.has(lower)
            ? false
            : raw
                .split(',')
                .map((s) => s.trim())
                .filter(Boolean);
        break;
      }
      default:
        // Env files hold a PEM on one line with `\n` escapes; no other setting is a PEM.
        values[variable.key] = variable.key === 'privateKeyPem' ? raw.replace(/\\n/g, '\n') : raw;
    }
  }
  return { values, sources };
}
