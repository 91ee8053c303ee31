import type { Client } from '../../core/clients/client.js';
import { isoTime, isoTimeOrNull } from '../output.js';

/** The `--json` shape of a client (docs/cli.md); never its secret or secret digest. */
export const clientView = (client: Client) => ({
  id: client.id,
  name: client.name,
  type: client.kind,
  confidential: client.secretDigest !== null,
  redirect_uris: client.redirectUris,
  grant_types: client.grantTypes,
  scopes: client.scopes,
  first_party: client.skipConsent,
  revoked: client.revokedAt !== null,
  created_at: isoTimeOrNull(client.createdAt),
  updated_at: isoTimeOrNull(client.updatedAt),
  revoked_at: isoTimeOrNull(client.revokedAt),
});

/** Human lines for one client, as `show` and `create` print them. */
export function clientFields(client: Client): Array<[string, string]> {
  const fields: Array<[string, string]> = [
    ['Client ID', client.id],
    ['Name', client.name],
    ['Type', `${client.kind}${client.secretDigest === null ? ' (public)' : ''}`],
    ['Grants', client.grantTypes.join(', ') || '-'],
    ['Scopes', client.scopes.join(' ')],
  ];
  if (client.redirectUris.length) fields.push(['Redirect URIs', client.redirectUris.join(', ')]);
  fields.push(['First party', client.skipConsent ? 'yes (no consent screen)' : 'no']);
  fields.push([
    'Status',
    client.revokedAt === null ? 'active' : `revoked ${isoTime(client.revokedAt)}`,
  ]);
  fields.push(['Created', isoTime(client.createdAt)]);
  return fields;
}
