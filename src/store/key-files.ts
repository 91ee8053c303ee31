import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
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

/** A key pair exists where a new one was to be written without `force`. */
export class KeyExistsError extends Error {
  override name = 'KeyExistsError';
}

/**
 * Writes a key pair: private 0600, public 0644, each complete or not at all (temp file, then
 * rename, or a hard link when it must not replace a key), so a crash never leaves half a key
 * and two processes creating the first key cannot both win.
 * @throws KeyExistsError when a key exists and `force` is not set.
 */
export function writeKeyPair(
  files: KeyFiles,
  material: SigningKeyMaterial,
  options: { force?: boolean } = {},
): void {
  mkdirSync(files.dir, { recursive: true, mode: 0o755 });
  writeAtomically(files.privatePath, material.privatePem, 0o600, options.force === true);
  writeAtomically(files.publicPath, material.publicPem, 0o644, true);
}

function writeAtomically(path: string, content: string, mode: number, replace: boolean): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content, { mode });
  chmodSync(temp, mode);
  if (replace) {
    renameSync(temp, path);
    return;
  }
  try {
    linkSync(temp, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new KeyExistsError(`${path} already exists (use --force to overwrite)`);
    }
    throw error;
  } finally {
    unlinkSync(temp);
  }
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
  const existing = async () => ({
    material: await importNamed(readFileSync(files.privatePath, 'utf8'), files.privatePath),
    created: false,
    source: files.privatePath,
  });
  if (existsSync(files.privatePath)) return existing();
  const material = await generateSigningKey(options.algorithm);
  try {
    writeKeyPair(files, material);
  } catch (error) {
    // Another process starting at the same moment wrote the first key: use it.
    if (error instanceof KeyExistsError) return existing();
    throw error;
  }
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

/** The key in `storage/oauth2/oauth-private.key` now, or undefined when missing or unusable. */
export async function readKeyFile(storageDir: string): Promise<SigningKeyMaterial | undefined> {
  try {
    return await importSigningKey(readFileSync(keyFiles(storageDir).privatePath, 'utf8'));
  } catch {
    return undefined;
  }
}
