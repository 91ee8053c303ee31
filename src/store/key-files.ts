import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  generateSigningKey,
  importSigningKey,
  type SigningKeyMaterial,
} from '../core/keys/signing-key-material.js';
import type { SigningAlgorithm } from '../core/keys/signing-key-record.js';

/** Passport's file names, in `storage/oauth2/`. */
export const PRIVATE_KEY_FILE = 'oauth-private.key';
export const PUBLIC_KEY_FILE = 'oauth-public.key';

export interface KeyFiles {
  dir: string;
  privatePath: string;
  publicPath: string;
}

export function keyFiles(storageDir: string): KeyFiles {
  const dir = join(storageDir, 'oauth2');
  return { dir, privatePath: join(dir, PRIVATE_KEY_FILE), publicPath: join(dir, PUBLIC_KEY_FILE) };
}

/**
 * Writes a key pair: private 0600, public 0644, atomically (temp file + rename) so a crash
 * never leaves half a key.
 * @throws Error when a key exists and `force` is not set.
 */
export function writeKeyPair(
  files: KeyFiles,
  material: SigningKeyMaterial,
  options: { force?: boolean } = {},
): void {
  mkdirSync(files.dir, { recursive: true, mode: 0o755 });
  if (existsSync(files.privatePath) && !options.force) {
    throw new Error(`${files.privatePath} already exists (use --force to overwrite)`);
  }
  writeAtomically(files.privatePath, material.privatePem, 0o600);
  writeAtomically(files.publicPath, material.publicPem, 0o644);
}

function writeAtomically(path: string, content: string, mode: number): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content, { mode });
  chmodSync(temp, mode);
  renameSync(temp, path);
}

/**
 * The signing key: from `privateKeyPem` when given, else from `storage/oauth2/`, else a new
 * one written there (first start).
 */
export async function loadOrCreateSigningKey(options: {
  storageDir: string;
  algorithm: SigningAlgorithm;
  privateKeyPem?: string | undefined;
}): Promise<{ material: SigningKeyMaterial; created: boolean; source: string }> {
  if (options.privateKeyPem) {
    return {
      material: await importNamed(options.privateKeyPem, 'PORTCULLIS_PRIVATE_KEY'),
      created: false,
      source: 'environment',
    };
  }
  const files = keyFiles(options.storageDir);
  if (existsSync(files.privatePath)) {
    return {
      material: await importNamed(readFileSync(files.privatePath, 'utf8'), files.privatePath),
      created: false,
      source: files.privatePath,
    };
  }
  const material = await generateSigningKey(options.algorithm);
  writeKeyPair(files, material);
  return { material, created: true, source: files.privatePath };
}

async function importNamed(pem: string, source: string): Promise<SigningKeyMaterial> {
  try {
    return await importSigningKey(pem);
  } catch (error) {
    throw new Error(
      `${source} is not a usable signing key (a PEM private key: RSA, EC P-256 or Ed25519): ${(error as Error).message}`,
    );
  }
}

/** File mode bits (e.g. 0o600) or null when missing: for `keys` and `health`. */
export function fileMode(path: string): number | null {
  return existsSync(path) ? statSync(path).mode & 0o777 : null;
}
