import type { CoreContext } from '../context.js';
import { ConflictError, InvalidInputError, NotFoundError } from '../entity-errors.js';
import { isId, newId } from '../ids.js';
import type { Organization } from './organization.js';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** A slug from a name: `Acme Corp.` → `acme-corp`. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');
}

/** Creates an organization. @throws InvalidInputError for a bad name/slug; ConflictError if taken. */
export async function createOrganization(
  ctx: CoreContext,
  options: { name: string; slug?: string },
): Promise<Organization> {
  const name = options.name.trim();
  if (!name || name.length > 200)
    throw new InvalidInputError('an organization name is 1 to 200 characters');
  const slug = options.slug ?? slugify(name);
  if (!SLUG.test(slug))
    throw new InvalidInputError(
      `slug "${slug}" must be 1 to 64 lower-case letters, digits and inner hyphens`,
    );
  if (await ctx.repos.organizations.findBySlug(slug))
    throw new ConflictError(`the organization ${slug} already exists`);
  const now = ctx.clock.now();
  const org: Organization = { id: newId(), name, slug, createdAt: now, updatedAt: now };
  await ctx.repos.organizations.insert(org);
  return org;
}

/** An organization by id or slug. @throws NotFoundError */
export async function findOrganization(ctx: CoreContext, idOrSlug: string): Promise<Organization> {
  const org = isId(idOrSlug)
    ? await ctx.repos.organizations.findById(idOrSlug)
    : await ctx.repos.organizations.findBySlug(idOrSlug);
  if (!org) throw new NotFoundError('organization', idOrSlug);
  return org;
}
