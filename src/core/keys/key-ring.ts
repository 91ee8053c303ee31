import { importJWK, type CryptoKey, type JWK } from 'jose';
import type { Clock } from '../clock.js';
import type { SigningKeyMaterial } from './signing-key-material.js';
import type {
  SigningAlgorithm,
  SigningKeyRecord,
  SigningKeyRepository,
} from './signing-key-record.js';

interface VerificationKey {
  alg: SigningAlgorithm;
  key: CryptoKey | Uint8Array;
  verifyUntil: number | null;
}

/**
 * The server's signing key and every public key tokens may still be verified with.
 * Public keys come from the database, so every node serves the same JWKS and verifies tokens
 * signed by another node's key.
 */
export class KeyRing {
  private verification = new Map<string, VerificationKey>();
  private lastReload = 0;

  /**
   * @param signer the key this process signs with; none for a process that only administers
   *   (the CLI), which must never register a key of its own and retire the servers'.
   */
  /**
   * @param signerSource reads the key this process would sign with now (the key file), so a
   *   key rotated by `portcullis keys:rotate` can be adopted without a restart.
   */
  constructor(
    private readonly repo: SigningKeyRepository,
    private readonly clock: Clock,
    private signer?: SigningKeyMaterial,
    private readonly signerSource?: () => Promise<SigningKeyMaterial | undefined>,
  ) {}

  get signing(): Pick<SigningKeyMaterial, 'kid' | 'alg' | 'privateKey'> {
    if (!this.signer)
      throw new Error('this process has no signing key (opened for administration)');
    return this.signer;
  }

  /** Records the signing key as active (first start, or a key supplied by env). */
  async register(verifyUntilForOthers: number): Promise<void> {
    const signer = this.signer;
    if (!signer) throw new Error('no signing key to register');
    const existing = await this.repo.find(signer.kid);
    if (!existing) {
      // Several nodes starting with one key insert it together: the repository ignores repeats.
      await this.repo.insert(recordOf(signer, this.clock.now()));
    } else if (existing.status !== 'active') {
      await this.repo.activate(signer.kid);
    }
    await this.repo.retireOthers(signer.kid, this.clock.now(), verifyUntilForOthers);
    await this.reload();
  }

  /**
   * Whether this process's key is still the active one: another node's rotation retires it,
   * and this node must not go on signing with it (its tokens would outlive its publication).
   */
  async signingKeyActive(): Promise<boolean> {
    if (!this.signer) return false;
    return (await this.repo.find(this.signer.kid))?.status === 'active';
  }

  /**
   * Whether this process signs with the active key, after switching to it when the key source
   * (the key file) now holds it. False for a process that cannot switch: its key was retired by
   * a key it does not have.
   */
  async ensureActiveSigner(): Promise<boolean> {
    if (await this.signingKeyActive()) return true;
    const next = await this.signerSource?.();
    return next !== undefined && next.kid !== this.signer?.kid && (await this.adopt(next));
  }

  /**
   * Switches to a key another process has made the active one (`portcullis keys:rotate`),
   * without registering or retiring anything. False when `material` is not the active key.
   */
  async adopt(material: SigningKeyMaterial): Promise<boolean> {
    if ((await this.repo.find(material.kid))?.status !== 'active') return false;
    this.signer = material;
    await this.reload();
    return true;
  }

  /** The kid of the active key in the database (whoever signs with it), if any. */
  async activeKid(): Promise<string | undefined> {
    return (await this.repo.list()).find((record) => record.status === 'active')?.kid;
  }

  /** Makes `next` the signing key; the old public key stays valid until `verifyUntil`. */
  async rotate(next: SigningKeyMaterial, verifyUntil: number): Promise<void> {
    this.signer = next;
    await this.register(verifyUntil);
  }

  async reload(): Promise<void> {
    const now = this.clock.now();
    const records = await this.repo.list();
    const next = new Map<string, VerificationKey>();
    for (const record of records) {
      if (!isPublished(record, now)) continue;
      const key = await importJWK(record.publicJwk, record.alg);
      next.set(record.kid, { alg: record.alg, key, verifyUntil: record.verifyUntil });
    }
    this.verification = next;
    this.lastReload = now;
  }

  /**
   * The public key for a `kid`, or undefined. An unknown kid triggers at most one reload a
   * second, so a key rotated on another node is picked up without a restart.
   */
  async verificationKey(kid: string): Promise<VerificationKey | undefined> {
    const now = this.clock.now();
    let found = this.verification.get(kid);
    if (!found && now - this.lastReload > 1000) {
      await this.reload();
      found = this.verification.get(kid);
    }
    if (found && found.verifyUntil !== null && found.verifyUntil <= now) return undefined;
    return found;
  }

  /** The JWK Set: the active key and retired keys whose tokens may still be alive. */
  async jwks(): Promise<{ keys: JWK[] }> {
    const now = this.clock.now();
    const records = await this.repo.list();
    return {
      keys: records
        .filter((r) => isPublished(r, now))
        .sort(
          (a, b) =>
            Number(b.status === 'active') - Number(a.status === 'active') ||
            b.createdAt - a.createdAt,
        )
        .map((r) => r.publicJwk),
    };
  }
}

function isPublished(record: SigningKeyRecord, now: number): boolean {
  return record.status === 'active' || (record.verifyUntil !== null && record.verifyUntil > now);
}

export function recordOf(material: SigningKeyMaterial, now: number): SigningKeyRecord {
  return {
    kid: material.kid,
    alg: material.alg,
    publicJwk: material.publicJwk,
    status: 'active',
    createdAt: now,
    retiredAt: null,
    verifyUntil: null,
  };
}
