import type { CoreContext } from '../context.js';
import { InvalidInputError } from '../entity-errors.js';
import { digest, newSecret } from '../secrets.js';
import { normalizeEmail } from '../users/user.js';
import { findRole } from './manage-roles.js';
import { admitMail } from '../ratelimit/mail-limits.js';
import type { Organization } from './organization.js';

const INVITATION_DAYS = 7;
const DAY = 86_400_000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Invites an email to an organization (with a role there, optionally): a single-use token,
 * mailed through the mail queue, kept only as its SHA-256, valid for 7 days. The address need
 * not have an account yet.
 * @throws MailLimitExceededError past the mail limits of the invited address or of `ip`.
 */
export async function inviteMember(
  ctx: CoreContext,
  org: Organization,
  options: {
    email: string;
    role?: string | null;
    invitedBy: string | null;
    /** The inviting client's address, charged with the address invited (mail limits). */
    ip: string;
  },
): Promise<void> {
  const email = normalizeEmail(options.email);
  if (!EMAIL.test(email) || email.length > 254)
    throw new InvalidInputError('email is not a valid address');
  if (options.role) await findRole(ctx, options.role);
  await admitMail(ctx, { address: email, ip: options.ip });
  const token = newSecret();
  const now = ctx.clock.now();
  await ctx.repos.organizations.insertInvitation({
    digest: digest(token),
    organizationId: org.id,
    email,
    role: options.role ?? null,
    invitedBy: options.invitedBy,
    expiresAt: now + INVITATION_DAYS * DAY,
    acceptedAt: null,
    createdAt: now,
  });
  // The inviter's request does not wait for the transport: the mail worker sends it.
  const mail = {
    to: email,
    subject: `You are invited to ${org.name}`,
    text: [
      `You are invited to join ${org.name} (${org.slug}).`,
      '',
      'Sign in (or register with this address), then accept with this token:',
      `POST ${ctx.config.issuer}/api/v1/organizations/invitations/accept  {"token": "${token}"}`,
      '',
      `The invitation works once, for ${INVITATION_DAYS} days.`,
    ].join('\n'),
  };
  ctx.mailQueue.enqueue({ purpose: 'invitation', compose: async () => mail });
}

/**
 * Accepts an invitation for the signed-in user, whose email must be the invited one: they become
 * a member (with the invited role in that organization).
 * @returns the organization, or undefined for an unknown, used, expired or someone else's token.
 */
export async function acceptInvitation(
  ctx: CoreContext,
  userId: string,
  token: string,
): Promise<Organization | undefined> {
  const user = await ctx.repos.users.findById(userId);
  if (!user || !token || token.length > 128) return undefined;
  const now = ctx.clock.now();
  const invitation = await ctx.repos.organizations.acceptInvitation(digest(token), user.email, now);
  if (!invitation) return undefined;
  const org = await ctx.repos.organizations.findById(invitation.organizationId);
  if (!org) return undefined;
  await ctx.repos.organizations.addMember(org.id, user.id, now);
  if (invitation.role) {
    const role = await ctx.repos.rbac.findRoleByName(invitation.role);
    if (role) await ctx.repos.rbac.grantRole(user.id, role.id, org.id, now);
  }
  return org;
}
