import { InvalidInputError } from '../entity-errors.js';

const ROLE_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
const PART = '[a-z0-9_.-]+';
/** `resource:action` as stored in the catalogue: concrete, no wildcards. */
const PERMISSION_NAME = new RegExp(`^${PART}:${PART}$`);
/** What a role or a user may be granted: a permission or a pattern (`posts:*`, `*:read`, `*`). */
const PERMISSION_PATTERN = new RegExp(`^(\\*|(${PART}|\\*):(${PART}|\\*))$`);

export function checkRoleName(name: string): string {
  if (!ROLE_NAME.test(name))
    throw new InvalidInputError(
      `role name "${name}" must be 1 to 64 characters: lower-case letters, digits, _ and -, starting with a letter`,
    );
  return name;
}

export function checkPermissionName(name: string): string {
  if (!PERMISSION_NAME.test(name) || name.length > 128)
    throw new InvalidInputError(
      `permission "${name}" must be resource:action (lower-case letters, digits, _ . -)`,
    );
  return name;
}

export function checkPermissionPattern(pattern: string): string {
  if (!PERMISSION_PATTERN.test(pattern) || pattern.length > 128)
    throw new InvalidInputError(
      `permission "${pattern}" must be resource:action, resource:*, *:action or *`,
    );
  return pattern;
}

export function checkDescription(description: string | undefined): string {
  const value = (description ?? '').trim();
  if (value.length > 500) throw new InvalidInputError('a description is at most 500 characters');
  return value;
}
