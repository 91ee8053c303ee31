import type { Command } from 'commander';
import { clientTokens, findClient, revokeClientTokens } from '../../core/clients/manage-client.js';
import type { AccessTokenRecord } from '../../core/tokens/access-token-record.js';
import { positiveInteger, withPortcullis } from '../open.js';
import {
  counted,
  formatTable,
  isoTime,
  isoTimeOrNull,
  paint,
  print,
  printJson,
} from '../output.js';

const tokenStatus = (token: AccessTokenRecord, now: number) =>
  token.revokedAt !== null ? 'revoked' : token.expiresAt <= now ? 'expired' : 'active';

export function registerTokens(program: Command): void {
  program
    .command('tokens')
    .description("List a client's access tokens, newest first (never the tokens themselves)")
    .requiredOption('--id <id>', 'client id')
    .option('--limit <n>', 'how many (default 50)')
    .option('--json', 'print the tokens as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ portcullis tokens --id=01J9Z3K7Q8R2M4N6P8S0T2V4W6\n  $ portcullis tokens --id=01J9Z3K7Q8R2M4N6P8S0T2V4W6 --limit=500 --json',
    )
    .action(async (options: { id: string; limit?: string; json?: boolean }, command: Command) => {
      const limit = positiveInteger('--limit', options.limit, 50);
      const { client, tokens, now } = await withPortcullis(command, async (p) => ({
        ...(await clientTokens(p.ctx, options.id, limit)),
        now: p.ctx.clock.now(),
      }));
      if (options.json) {
        return printJson({
          client: { id: client.id, name: client.name },
          tokens: tokens.map((t) => ({
            jti: t.jti,
            kind: t.kind,
            grant_type: t.grantType,
            user_id: t.userId,
            name: t.name,
            scopes: t.scopes,
            status: tokenStatus(t, now),
            created_at: isoTimeOrNull(t.createdAt),
            expires_at: isoTimeOrNull(t.expiresAt),
            revoked_at: isoTimeOrNull(t.revokedAt),
          })),
        });
      }
      print(`Tokens of ${client.name} (${client.id}), newest first:`);
      print(
        formatTable(
          tokens,
          [
            { header: 'JTI', value: (t) => t.jti },
            { header: 'GRANT', value: (t) => t.grantType ?? '-' },
            { header: 'USER', value: (t) => t.userId ?? '-' },
            { header: 'SCOPES', value: (t) => t.scopes.join(' ') || '-' },
            { header: 'STATUS', value: (t) => tokenStatus(t, now) },
            { header: 'EXPIRES', value: (t) => isoTime(t.expiresAt) },
          ],
          '  No tokens.',
        ),
      );
    });

  program
    .command('tokens:revoke')
    .description('Revoke every access and refresh token of a client (the client stays active)')
    .requiredOption('--id <id>', 'client id')
    .option('--json', 'print the counts as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  $ portcullis tokens:revoke --id=01J9Z3K7Q8R2M4N6P8S0T2V4W6',
    )
    .action(async (options: { id: string; json?: boolean }, command: Command) => {
      const { client, revoked } = await withPortcullis(command, async (p) => ({
        client: await findClient(p.ctx, options.id),
        revoked: await revokeClientTokens(p.ctx, options.id),
      }));
      if (options.json) {
        return printJson({
          client_id: client.id,
          revoked_access_tokens: revoked.accessTokens,
          revoked_refresh_families: revoked.refreshFamilies,
        });
      }
      print(
        paint('green', `Revoked ${counted(revoked.accessTokens, 'access token')}`) +
          ` and ${counted(revoked.refreshFamilies, 'refresh token family', 'refresh token families')} of ${client.name} (${client.id}).`,
      );
    });
}
