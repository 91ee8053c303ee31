import type { JWK } from 'jose';

export type SigningAlgorithm = 'RS256' | 'ES256' | 'EdDSA';

/** Public half and lifecycle of a signing key; the private half lives in a file or env. */
export interface SigningKeyRecord {
  kid: string;
  alg: SigningAlgorithm;
  publicJwk: JWK;
  status: 'active' | 'retired';
  createdAt: number;
  retiredAt: number | null;
  /** A retired key stays in the JWKS until then: the last expiry of a token it signed. */
  verifyUntil: number | null;
}

export interface SigningKeyRepository {
  list(): Promise<SigningKeyRecord[]>;
  find(kid: string): Promise<SigningKeyRecord | undefined>;
  insert(key: SigningKeyRecord): Promise<void>;
  /** Retires every active key other than `exceptKid`. */
  retireOthers(exceptKid: string, now: number, verifyUntil: number): Promise<number>;
  activate(kid: string): Promise<void>;
  deleteExpired(now: number): Promise<number>;
}
