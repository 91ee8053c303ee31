/** The kinds of client Passport users know, each with the grants it may use. */
export type ClientKind =
  'authorization_code' | 'client_credentials' | 'password' | 'personal_access';

export type GrantType = 'authorization_code' | 'client_credentials' | 'password' | 'refresh_token';

export const CLIENT_KINDS: readonly ClientKind[] = [
  'authorization_code',
  'client_credentials',
  'password',
  'personal_access',
];

export const GRANTS_OF_KIND: Record<ClientKind, GrantType[]> = {
  authorization_code: ['authorization_code', 'refresh_token'],
  client_credentials: ['client_credentials'],
  password: ['password', 'refresh_token'],
  personal_access: [],
};

export interface Client {
  id: string;
  name: string;
  kind: ClientKind;
  /** SHA-256 of the secret; null for public clients. */
  secretDigest: string | null;
  redirectUris: string[];
  grantTypes: GrantType[];
  /** Scopes this client may be granted (wildcards allowed); `*` = every defined scope. */
  scopes: string[];
  /** Owner, when a user registered the client. */
  userId: string | null;
  /** First-party app: users are not asked to consent (Passport's skipsAuthorization). */
  skipConsent: boolean;
  revokedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

export const isConfidential = (client: Client): boolean => client.secretDigest !== null;

export interface ClientRepository {
  insert(client: Client): Promise<void>;
  findById(id: string): Promise<Client | undefined>;
  list(options: { includeRevoked: boolean }): Promise<Client[]>;
  update(
    id: string,
    patch: Partial<
      Pick<
        Client,
        | 'name'
        | 'redirectUris'
        | 'scopes'
        | 'secretDigest'
        | 'revokedAt'
        | 'grantTypes'
        | 'skipConsent'
      >
    > & {
      updatedAt: number;
    },
  ): Promise<Client | undefined>;
  delete(id: string): Promise<boolean>;
}

/**
 * A first-party app: one that collects the user's password itself (a password client) or that
 * the operator marked as its own (no consent screen). Only a sign-in there may act with the
 * user's full account: personal access tokens, administration.
 */
export const isFirstPartyClient = (client: Pick<Client, 'kind' | 'skipConsent'>): boolean =>
  client.kind === 'password' || client.skipConsent;
