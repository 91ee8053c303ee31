/**
 * What every account holds over its own things, without any role: identity scopes, its own API
 * keys and its organizations. A delegated or personal token still needs the matching scope, and
 * acting on someone else's things needs the administrative permission instead.
 */
export const SELF_SERVICE_PERMISSIONS: readonly string[] = [
  'openid',
  'profile',
  'email',
  'offline_access',
  'roles',
  'api-keys:read',
  'api-keys:write',
  'organizations:read',
  'organizations:write',
];

/**
 * Permissions over other users and the server itself. Never a default of any client, marked in
 * `portcullis scopes`, and held only through an explicit grant (the `admin` role holds them all).
 */
export const ADMINISTRATIVE_PERMISSIONS: readonly string[] = [
  'users:read',
  'users:write',
  'roles:read',
  'roles:write',
  'api-keys:admin',
];

/** Manage every user's API keys and give any tier. */
export const API_KEYS_ADMIN = 'api-keys:admin';

/** Whether a scope is administrative, or a wildcard that covers one. */
export function isAdministrativeScope(scope: string): boolean {
  if (scope === '*') return true;
  const [resource, action] = scope.split(':');
  return ADMINISTRATIVE_PERMISSIONS.some((admin) => {
    const [r, a] = admin.split(':');
    return (resource === '*' || resource === r) && (action === '*' || action === a);
  });
}
