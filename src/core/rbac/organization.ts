/** A tenant: users are members; roles and permissions can be granted within it. */
export interface Organization {
  id: string;
  name: string;
  /** URL-safe, unique: what the CLI and URLs use. */
  slug: string;
  createdAt: number;
  updatedAt: number;
}

export interface OrganizationRepository {
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
