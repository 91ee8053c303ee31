import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SigningAlgorithm } from '../core/keys/signing-key-record.js';
import { generateSigningKey } from '../core/keys/signing-key-material.js';
import { KeyExistsError, keyFiles, writeKeyPair } from '../store/key-files.js';
import { longestTokenLifetimeMs, type Portcullis } from './open-portcullis.js';

/**
 * Running servers check every few seconds whether their key is still the active one and switch
 * to the new key file when not ({@link followSigningKey}); tokens they sign in that window must
 * stay verifiable too.
 */
export const KEY_SWITCH_MARGIN_MS = 60_000;

export interface RotatedKey {
  /** The key that signed until now; undefined on a fresh install. */
  previousKid: string | undefined;
  kid: string;
  alg: SigningAlgorithm;
  /** Until when the previous key stays in the JWKS; undefined when there was none. */
  verifyUntil: number | undefined;
  privateKeyPath: string;
}

/**
 * Makes a new key (of the configured algorithm unless told) the signing key: writes the key
 * files (private 0600, public 0644) and records it as the active key, so every server signs
 * with it within seconds. The old public key stays in the JWKS (and verifies tokens) until every
 * token it may have signed has expired; its public PEM is kept beside the new one as
 * `oauth-public-<kid>.key` for backups.
 * @throws KeyExistsError when `mustNotExist` is set and a key file exists (`keys:generate`
 *   without `--force`); Error when the key comes from the environment.
 */
export async function rotateSigningKey(
  portcullis: Portcullis,
  algorithm: SigningAlgorithm = portcullis.ctx.config.signingAlgorithm,
  options: { mustNotExist?: boolean } = {},
): Promise<RotatedKey> {
  const { ctx } = portcullis;
  if (ctx.config.privateKeyPem) {
    throw new Error(
      'the signing key comes from the environment (PORTCULLIS_PRIVATE_KEY): rotate it there',
    );
  }
  const files = keyFiles(ctx.config.storageDir);
  if (options.mustNotExist && existsSync(files.privatePath)) {
    throw new KeyExistsError(`${files.privatePath} already exists (use --force to overwrite)`);
  }
  const previousKid = await ctx.keys.activeKid();
  if (previousKid && existsSync(files.publicPath))
    copyFileSync(files.publicPath, join(files.dir, `oauth-public-${previousKid}.key`));
  const next = await generateSigningKey(algorithm);
  writeKeyPair(files, next, { force: true });
  const verifyUntil = ctx.clock.now() + longestTokenLifetimeMs(ctx.config) + KEY_SWITCH_MARGIN_MS;
  await ctx.keys.rotate(next, verifyUntil);
  return {
    previousKid,
    kid: next.kid,
    alg: next.alg,
    verifyUntil: previousKid ? verifyUntil : undefined,
    privateKeyPath: files.privatePath,
  };
}
