export interface ScopeDefinition {
  name: string;
  description: string;
  createdAt: number;
}

export interface ScopeRepository {
  list(): Promise<ScopeDefinition[]>;
  find(name: string): Promise<ScopeDefinition | undefined>;
  /**
   * Inserts the definitions that were never defined; existing and deleted ones are left as they
   * are, so a scope removed with `scopes:delete` stays removed.
   */
  insertMissing(scopes: ScopeDefinition[]): Promise<number>;
  /** Defines a scope, or redefines one that was deleted. */
  upsert(scope: ScopeDefinition): Promise<void>;
  /** Deletes a scope for good (configuration does not restore it); false when unknown. */
  delete(name: string, now: number): Promise<boolean>;
}
