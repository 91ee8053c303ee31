export interface Consent {
  userId: string;
  clientId: string;
  scopes: string[];
  createdAt: number;
  updatedAt: number;
}

export interface ConsentRepository {
  find(userId: string, clientId: string): Promise<Consent | undefined>;
  upsert(consent: Consent): Promise<void>;
  delete(userId: string, clientId: string): Promise<boolean>;
}
