import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { configSchema, type Config, type ConfigInput } from './schema.js';
import { ConfigError, readEnvironment } from './environment.js';

export { ConfigError } from './environment.js';

export interface LoadConfigOptions {
  /** Highest precedence: CLI flags or programmatic options. */
  overrides?: ConfigInput;
  env?: NodeJS.ProcessEnv;
  /** Path of a JSON config file; `portcullis.config.json` in the cwd when present. */
  file?: string;
  cwd?: string;
}

/**
 * Builds the configuration: defaults → config file → environment → overrides.
 * @throws ConfigError with one line naming the offending variable or key and what is allowed.
 */
export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const filePath = options.file
    ? resolve(cwd, options.file)
    : env.PORTCULLIS_CONFIG
      ? resolve(cwd, env.PORTCULLIS_CONFIG)
      : resolve(cwd, 'portcullis.config.json');
  let fromFile: Record<string, unknown> = {};
  let fileSource: string | undefined;
  if (existsSync(filePath)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(filePath, 'utf8'));
    } catch (error) {
      throw new ConfigError(`${filePath} is not valid JSON: ${(error as Error).message}`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ConfigError(`${filePath} must contain a JSON object`);
    }
    fromFile = parsed as Record<string, unknown>;
    fileSource = filePath;
  } else if (options.file || env.PORTCULLIS_CONFIG) {
    throw new ConfigError(`config file ${filePath} does not exist`);
  }
  const { values, sources } = readEnvironment(env);
  return parseConfig({ ...fromFile, ...values, ...options.overrides }, sources, fileSource);
}

/** Validates a complete input object and derives the issuer. */
export function parseConfig(
  input: Record<string, unknown>,
  sources: Partial<Record<string, string>> = {},
  file?: string,
): Config {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    const origin = file ? ` in ${file}` : '';
    const where =
      sources[key] ?? (key ? `config key "${issue.path.join('.')}"${origin}` : `config${origin}`);
    const value = key in input ? ` (got ${JSON.stringify(input[key])})` : '';
    throw new ConfigError(`${where} is invalid${value}: ${issue.message}`);
  }
  const data = result.data;
  const host = data.host === '0.0.0.0' || data.host === '::' ? '127.0.0.1' : data.host;
  const issuer = (data.issuer ?? `http://${host}:${data.port}`).replace(/\/+$/, '');
  return { ...data, issuer };
}
