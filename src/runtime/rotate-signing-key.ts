import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SigningAlgorithm } from '../core/keys/signing-key-record.js';
import { generateSigningKey } from '../core/keys/signing-key-material.js';
import { keyFiles, writeKeyPair } from '../store/key-files.js';
import { longestTokenLifetimeMs, type Portcullis } from './open-portcullis.js';

/**
 * Makes a new key (of the configured algorithm unless told) the signing key. The old public key stays in the JWKS (and verifies tokens)
 * until every token it may have signed has expired; its public PEM is kept beside the new one
 * as `oauth-public-<kid>.key` for backups.
 */
export async function rotateSigningKey(
  portcullis: Portcullis,
  algorithm: SigningAlgorithm = portcullis.ctx.config.signingAlgorithm,
): Promise<{ previousKid: string; kid: string; verifyUntil: number }> {
  const { ctx } = portcullis;
  if (ctx.config.privateKeyPem) {
    throw new Error(
      'the signing key comes from the environment (PORTCULLIS_PRIVATE_KEY): rotate it there',
    );
  }
  const previousKid = ctx.keys.signing.kid;
  const files = keyFiles(ctx.config.storageDir);
  if (existsSync(files.publicPath))
    copyFileSync(files.publicPath, join(files.dir, `oauth-public-${previousKid}.key`));
  const next = await generateSigningKey(algorithm);
  writeKeyPair(files, next, { force: true });
  const verifyUntil = ctx.clock.now() + longestTokenLifetimeMs(ctx.config);
  await ctx.keys.rotate(next, verifyUntil);
  return { previousKid, kid: next.kid, verifyUntil };
}
