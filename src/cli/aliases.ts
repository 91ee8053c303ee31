/**
 * The spellings Passport and Laravel users type, rewritten to our command names before
 * commander parses them:
 *
 * - `passport <cmd>`, `oauth2 <cmd>`, `oauth <cmd>` → `<cmd>`
 * - `passport:client [verb]`, `oauth:client [verb]`, `clients [verb]` → the client command
 *   (`create` when no verb is given, `list` for a bare `clients`)
 * - `passport:install`, `passport:purge`, … → `install`, `purge`; `passport:keys` (Laravel's
 *   key generator) → `keys:generate`
 * - noun-verb forms: `keys generate`, `tokens prune`, `scopes create` → `keys:generate`, …
 */
const GROUP_WORDS = new Set(['passport', 'oauth2', 'oauth', 'portcullis']);
const CLIENT_GROUPS = new Set([
  'passport:client',
  'oauth:client',
  'oauth2:client',
  'clients',
  'client',
]);
const CLIENT_VERBS = new Set([
  'create',
  'list',
  'show',
  'update',
  'secret',
  'revoke',
  'restore',
  'delete',
]);
const PASSPORT_RENAMES: Record<string, string> = { keys: 'keys:generate' };
/** Laravel API-package commands. */
const ARTISAN_RENAMES: Record<string, string> = {
  'api:prune-expired-keys': 'api-keys:prune-expired',
};
/** Laravel's `passport:client` flags, spelled our way. */
const LARAVEL_CLIENT_FLAGS: Record<string, string[]> = {
  '--password': ['--password-client'],
  '--client': ['--type', 'client_credentials'],
};

/** Where the command starts: after the global options (`--debug`, `--config <file>`). */
function commandStart(args: readonly string[]): number {
  let i = 0;
  while (i < args.length) {
    const arg = args[i]!;
    if (arg === '--config') i += 2;
    else if (arg.startsWith('--config=') || arg === '--debug') i += 1;
    else break;
  }
  return i;
}

/** Rewrites an alias spelling (see above) into the canonical command; anything else is kept. */
export function expandAliases(args: readonly string[], commands: ReadonlySet<string>): string[] {
  const start = commandStart(args);
  const head = args.slice(0, start);
  let rest = args.slice(start);
  if (rest[0] && GROUP_WORDS.has(rest[0])) rest = rest.slice(1);
  const first = rest[0];
  if (first === undefined) return [...head, ...rest];
  if (CLIENT_GROUPS.has(first)) {
    const verb = rest[1];
    const laravel = first !== 'clients' && first !== 'client';
    const tail = (verb && CLIENT_VERBS.has(verb) ? rest.slice(2) : rest.slice(1)).flatMap((arg) =>
      laravel ? (LARAVEL_CLIENT_FLAGS[arg] ?? [arg]) : [arg],
    );
    const command = verb && CLIENT_VERBS.has(verb) ? verb : first === 'clients' ? 'list' : 'create';
    return [...head, command, ...tail];
  }
  if (ARTISAN_RENAMES[first]) return [...head, ARTISAN_RENAMES[first], ...rest.slice(1)];
  if (first.startsWith('passport:')) {
    const name = first.slice('passport:'.length);
    const command = PASSPORT_RENAMES[name] ?? name;
    if (commands.has(command)) return [...head, command, ...rest.slice(1)];
  }
  const verb = rest[1];
  if (verb && !verb.startsWith('-') && commands.has(`${first}:${verb}`)) {
    return [...head, `${first}:${verb}`, ...rest.slice(2)];
  }
  return [...head, ...rest];
}
