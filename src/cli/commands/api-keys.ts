import { Command, Option } from 'commander';
import { createApiKey } from '../../core/apikeys/create-api-key.js';
import { findApiKey, revokeApiKey, rotateApiKey } from '../../core/apikeys/manage-api-key.js';
import { countPrunableApiKeys, pruneApiKeys } from '../../core/apikeys/prune-api-keys.js';
import {
  API_KEY_ENVIRONMENTS,
  type ApiKey,
  type ApiKeyEnvironment,
} from '../../core/apikeys/api-key.js';
import { apiKeyStatus, apiKeyUsageReport, apiKeyView } from '../../core/apikeys/api-key-view.js';
import { positiveInteger, UsageError, withPortcullis } from '../open.js';
import { confirmDestructive } from '../confirm.js';
import {
  counted,
  formatFields,
  formatSecret,
  formatTable,
  isoTime,
  paint,
  print,
  printJson,
} from '../output.js';
import { scopeList } from './create-client.js';

const DAY_MS = 86_400_000;

function keyFields(key: ApiKey, now: number): Array<[string, string]> {
  return [
    ['ID', key.id],
    ['Name', key.name],
    ['Prefix', `${key.displayPrefix}…`],
    ['Environment', key.environment],
    ['Scopes', key.scopes.join(' ') || '-'],
    ['Tier', key.tier],
    ['Organization', key.organizationId ?? '-'],
    ['User', key.userId ?? '-'],
    ['Status', apiKeyStatus(key, now)],
    ['Expires', isoTime(key.expiresAt)],
    ['Last used', isoTime(key.lastUsedAt)],
    ['Created', isoTime(key.createdAt)],
  ];
}

function parseMetadata(value: string | undefined): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as Record<string, unknown>;
  } catch {
    throw new UsageError('--metadata must be a JSON object, e.g. \'{"team":"ios"}\'');
  }
}

interface CreateOptions {
  name?: string;
  scopes?: string;
  tier?: string;
  environment: ApiKeyEnvironment;
  expiresInDays?: string;
  organization?: string;
  user?: string;
  metadata?: string;
  json?: boolean;
}

export function registerApiKeys(program: Command): void {
  program
    .command('api-keys:create')
    .description('Create an API key (sk_live_… / sk_test_…); the key is printed once')
    .option('--name <name>', 'what the key is for (required)')
    .option(
      '--scopes <scopes>',
      'scopes, space or comma separated (posts:read, posts:*, *:read, *)',
    )
    .option('--tier <tier>', 'rate-limit tier (default: apiKeys.defaultTier)')
    .addOption(
      new Option('--environment <env>', 'live or test')
        .choices(API_KEY_ENVIRONMENTS as string[])
        .default('live'),
    )
    .option('--expires-in-days <n>', 'expire after this many days (default: never)')
    .option(
      '--organization <id|slug>',
      'organization (workspace) the key belongs to: it must exist',
    )
    .option('--user <id>', 'user the key belongs to')
    .option('--metadata <json>', 'a JSON object kept with the key')
    .option('--json', 'print the key and its settings as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ portcullis api-keys:create --name="Mobile App Production" --scopes="posts:read posts:write" --tier=pro --expires-in-days=365
  $ portcullis api-keys:create --name="Development Key" --environment=test --scopes="*"`,
    )
    .action(async (options: CreateOptions, command: Command) => {
      if (!options.name) throw new UsageError('--name is required');
      const days =
        options.expiresInDays === undefined
          ? undefined
          : positiveInteger('--expires-in-days', options.expiresInDays, 0);
      if (days === 0) throw new UsageError('--expires-in-days must be at least 1');
      const metadata = parseMetadata(options.metadata);
      const created = await withPortcullis(command, (p) =>
        createApiKey(p.ctx, {
          name: options.name!,
          scopes: options.scopes ? scopeList(options.scopes) : [],
          environment: options.environment,
          ...(options.tier !== undefined ? { tier: options.tier } : {}),
          expiresAt: days === undefined ? null : p.ctx.clock.now() + days * DAY_MS,
          organizationId: options.organization ?? null,
          userId: options.user ?? null,
          ...(metadata !== undefined ? { metadata } : {}),
        }),
      );
      const now = Date.now();
      if (options.json) return printJson({ ...apiKeyView(created.apiKey, now), key: created.key });
      print(paint('green', 'API key created.'));
      print(formatFields(keyFields(created.apiKey, now)));
      print();
      print(formatSecret('API key', created.key));
    });

  program
    .command('api-keys:list')
    .description('List API keys (active ones; --all includes revoked, expired and rotated)')
    .option('--all', 'include keys that no longer work')
    .option('--organization <id>', 'only this organization’s keys')
    .option('--user <id>', 'only this user’s keys')
    .option('--limit <n>', 'how many (default 100)')
    .option('--json', 'print the keys as a JSON array')
    .addHelpText(
      'after',
      '\nExamples:\n  $ portcullis api-keys:list\n  $ portcullis api-keys:list --organization=org_1 --all --json',
    )
    .action(
      async (
        options: {
          all?: boolean;
          organization?: string;
          user?: string;
          limit?: string;
          json?: boolean;
        },
        command: Command,
      ) => {
        const limit = Math.max(1, positiveInteger('--limit', options.limit, 100));
        const { keys, now } = await withPortcullis(command, async (p) => {
          const now = p.ctx.clock.now();
          const keys = await p.ctx.repos.apiKeys.list(
            {
              limit,
              includeInactive: options.all === true,
              ...(options.organization !== undefined
                ? { organizationId: options.organization }
                : {}),
              ...(options.user !== undefined ? { userId: options.user } : {}),
            },
            now,
          );
          return { keys, now };
        });
        if (options.json) return printJson(keys.map((k) => apiKeyView(k, now)));
        print(
          formatTable(
            keys,
            [
              { header: 'ID', value: (k) => k.id },
              { header: 'NAME', value: (k) => k.name },
              { header: 'PREFIX', value: (k) => `${k.displayPrefix}…` },
              { header: 'SCOPES', value: (k) => k.scopes.join(' ') || '-' },
              { header: 'TIER', value: (k) => k.tier },
              { header: 'STATUS', value: (k) => apiKeyStatus(k, now) },
              { header: 'LAST USED', value: (k) => isoTime(k.lastUsedAt) },
            ],
            'No API keys. Create one: portcullis api-keys:create --name="My Service" --scopes="posts:read"',
          ),
        );
      },
    );

  program
    .command('api-keys:show')
    .description('Show one API key (never the key itself)')
    .requiredOption('--id <id>', 'API key id')
    .option('--json', 'print the key as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  $ portcullis api-keys:show --id=01J9Z3K7Q8R2M4N6P8S0T2V4W6',
    )
    .action(async (options: { id: string; json?: boolean }, command: Command) => {
      const key = await withPortcullis(command, (p) => findApiKey(p.ctx, options.id));
      const now = Date.now();
      if (options.json) return printJson(apiKeyView(key, now));
      print(formatFields(keyFields(key, now)));
    });

  program
    .command('api-keys:rotate')
    .description(
      'Replace a key: same settings, new key printed once; the old one works for the grace period',
    )
    .requiredOption('--id <id>', 'API key id')
    .option(
      '--grace-hours <n>',
      'how long the old key keeps working (default: apiKeys.rotationGraceHours)',
    )
    .option('--json', 'print the new key and the old one as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ portcullis api-keys:rotate --id=01J9Z3K7Q8R2M4N6P8S0T2V4W6\n  $ portcullis api-keys:rotate --id=01J9Z3K7Q8R2M4N6P8S0T2V4W6 --grace-hours=0',
    )
    .action(
      async (options: { id: string; graceHours?: string; json?: boolean }, command: Command) => {
        const graceHours =
          options.graceHours === undefined
            ? undefined
            : positiveInteger('--grace-hours', options.graceHours, 0);
        const rotated = await withPortcullis(command, (p) =>
          rotateApiKey(p.ctx, options.id, graceHours !== undefined ? { graceHours } : {}),
        );
        const now = Date.now();
        if (options.json) {
          return printJson({
            ...apiKeyView(rotated.apiKey, now),
            key: rotated.key,
            previous: apiKeyView(rotated.previous, now),
          });
        }
        print(
          paint('green', `API key rotated: ${rotated.apiKey.id} replaces ${rotated.previous.id}.`),
        );
        print(`  The old key works until ${isoTime(rotated.previous.graceUntil)}.`);
        print(formatSecret('New API key', rotated.key));
      },
    );

  program
    .command('api-keys:revoke')
    .description('Revoke an API key: refused at once by every server')
    .requiredOption('--id <id>', 'API key id')
    .option('--json', 'print the key as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  $ portcullis api-keys:revoke --id=01J9Z3K7Q8R2M4N6P8S0T2V4W6',
    )
    .action(async (options: { id: string; json?: boolean }, command: Command) => {
      const result = await withPortcullis(command, (p) => revokeApiKey(p.ctx, options.id));
      if (options.json)
        return printJson({
          ...apiKeyView(result.apiKey, Date.now()),
          already_revoked: result.alreadyRevoked,
        });
      print(
        result.alreadyRevoked
          ? `API key ${result.apiKey.id} was already revoked.`
          : paint('green', `API key ${result.apiKey.id} (${result.apiKey.name}) revoked.`),
      );
    });

  program
    .command('api-keys:prune-expired')
    .description(
      'Delete keys that expired, were revoked or were rotated more than --days ago (asks first)',
    )
    .option('--days <n>', 'keep keys dead for fewer days (default: apiKeys.pruneAfterDays)')
    .option('--force', 'do not ask for confirmation')
    .option('--json', 'print the count as JSON')
    .addHelpText(
      'after',
      `
The server also does this every apiKeys.cleanupIntervalMinutes.

Examples:
  $ portcullis api-keys:prune-expired
  $ portcullis api-keys:prune-expired --days=0 --force`,
    )
    .action(
      async (options: { days?: string; force?: boolean; json?: boolean }, command: Command) => {
        const days =
          options.days === undefined ? undefined : positiveInteger('--days', options.days, 0);
        const deleted = await withPortcullis(command, async (p) => {
          const dead = await countPrunableApiKeys(p.ctx, days);
          if (dead === 0) return 0;
          await confirmDestructive(`Delete ${counted(dead, 'dead API key')}?`, options.force);
          return pruneApiKeys(p.ctx, days !== undefined ? { afterDays: days } : {});
        });
        if (options.json) return printJson({ deleted });
        print(
          deleted ? paint('green', `Deleted ${counted(deleted, 'API key')}.`) : 'Nothing to prune.',
        );
      },
    );

  program
    .command('api-keys:usage')
    .description('Requests per hour and the last use of an API key')
    .requiredOption('--id <id>', 'API key id')
    .option('--hours <n>', 'how many hours back (default 24)')
    .option('--json', 'print the usage as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  $ portcullis api-keys:usage --id=01J9Z3K7Q8R2M4N6P8S0T2V4W6 --hours=168',
    )
    .action(async (options: { id: string; hours?: string; json?: boolean }, command: Command) => {
      const hours = Math.max(1, positiveInteger('--hours', options.hours, 24));
      const usage = await withPortcullis(command, async (p) =>
        apiKeyUsageReport(p.ctx, await findApiKey(p.ctx, options.id), hours),
      );
      if (options.json) return printJson(usage);
      print(
        `API key ${usage.id}: ${counted(usage.total, 'request')} in the last ${hours} h; last used ${usage.last_used_at ?? 'never'}.`,
      );
      print(
        formatTable(
          usage.hourly,
          [
            { header: 'HOUR (UTC)', value: (h) => h.hour },
            { header: 'REQUESTS', value: (h) => String(h.requests), right: true },
          ],
          '  No requests.',
        ),
      );
    });
}
