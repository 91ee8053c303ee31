export interface ScopeDefinition {
  name: string;
  description: string;
  createdAt: number;
}

export interface ScopeRepository {
  list(): Promise<ScopeDefinition[]>;
  find(name: string): Promise<ScopeDefinition | undefined>;
  /** Inserts the definitions that do not exist yet; existing ones are left as they are. */
  insertMissing(scopes: ScopeDefinition[]): Promise<number>;
  upsert(scope: ScopeDefinition): Promise<void>;
  delete(name: string): Promise<boolean>;
}
