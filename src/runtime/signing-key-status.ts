import { readFileSync } from 'node:fs';
import { importSigningKey } from '../core/keys/signing-key-material.js';
import type { SigningKeyRecord } from '../core/keys/signing-key-record.js';
import { fileMode, keyFiles } from '../store/key-files.js';
import type { Portcullis } from './open-portcullis.js';

export interface KeyFileStatus {
  path: string;
  /** Permission bits (0o600), or null when the file is missing. */
  mode: number | null;
}

export interface SigningKeyStatus {
  source: 'files' | 'environment';
  configuredAlgorithm: string;
  privateKey: KeyFileStatus | null;
  publicKey: KeyFileStatus | null;
  /** The kid of the key in the file (or environment); null when missing or unreadable. */
  localKid: string | null;
  /** Every key the database knows: the active one signs, retired ones still verify. */
  keys: SigningKeyRecord[];
}

/** What `portcullis keys` shows: the key files and every key the database publishes. */
export async function signingKeyStatus(portcullis: Portcullis): Promise<SigningKeyStatus> {
  const { config } = portcullis.ctx;
  const keys = (await portcullis.ctx.repos.signingKeys.list()).sort(
    (a, b) =>
      Number(b.status === 'active') - Number(a.status === 'active') || b.createdAt - a.createdAt,
  );
  const readKid = async (pem: string | undefined) => {
    if (!pem) return null;
    try {
      return (await importSigningKey(pem)).kid;
    } catch {
      return null;
    }
  };
  if (config.privateKeyPem) {
    return {
      source: 'environment',
      configuredAlgorithm: config.signingAlgorithm,
      privateKey: null,
      publicKey: null,
      localKid: await readKid(config.privateKeyPem),
      keys,
    };
  }
  const files = keyFiles(config.storageDir);
  const privateMode = fileMode(files.privatePath);
  return {
    source: 'files',
    configuredAlgorithm: config.signingAlgorithm,
    privateKey: { path: files.privatePath, mode: privateMode },
    publicKey: { path: files.publicPath, mode: fileMode(files.publicPath) },
    localKid: privateMode === null ? null : await readKid(readFileSync(files.privatePath, 'utf8')),
    keys,
  };
}
