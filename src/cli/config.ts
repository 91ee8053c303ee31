import type { Config, ConfigInput } from '../config/schema.js';
import { loadConfig } from '../config/load.js';

export interface GlobalOptions {
  config?: string;
  debug?: boolean;
}

/** Configuration for a command: defaults → file (--config) → environment → flags. */
export function loadCliConfig(
  global: GlobalOptions,
  overrides: Record<string, unknown> = {},
): Config {
  return loadConfig({
    ...(global.config ? { file: global.config } : {}),
    overrides: overrides as ConfigInput,
  });
}
