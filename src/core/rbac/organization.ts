/** A tenant: users are members; roles and permissions can be granted within it. */
export interface Organization {
  id: string;
  name: string;
  /** URL-safe, unique: what the CLI and URLs use. */
  slug: string;
  createdAt: number;
  updatedAt: number;
}

/** An invitation to join an organization, mailed as a single-use token (only its digest kept). */
export interface OrganizationInvitation {
  digest: string;
  organizationId: string;
  email: string;
  role: string | null;
  invitedBy: string | null;
  expiresAt: number;
  acceptedAt: number | null;
  createdAt: number;
}

export interface OrganizationRepository {
  insertInvitation(invitation: OrganizationInvitation): Promise<void>;
  /** Marks the invitation accepted if it is for `email`, unused and unexpired; one caller wins. */
  acceptInvitation(
    digest: string,
    email: string,
    now: number,
  ): Promise<OrganizationInvitation | undefined>;
  /** Members, oldest first. */
  members(
    orgId: string,
    limit: number,
  ): Promise<Array<{ userId: string; email: string; name: string | null; joinedAt: number }>>;
  insert(org: Organization): Promise<void>;
  findById(id: string): Promise<Organization | undefined>;
  findBySlug(slug: string): Promise<Organization | undefined>;
  list(limit: number): Promise<Organization[]>;
  /** True when the user was not a member yet. */
  addMember(orgId: string, userId: string, now: number): Promise<boolean>;
  removeMember(orgId: string, userId: string): Promise<boolean>;
  isMember(orgId: string, userId: string): Promise<boolean>;
  /** The user's organizations, oldest membership first. */
  membershipsOf(userId: string): Promise<Organization[]>;
}
