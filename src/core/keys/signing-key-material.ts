import { createPrivateKey, createPublicKey } from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importPKCS8,
  type CryptoKey,
  type JWK,
} from 'jose';
import type { SigningAlgorithm } from './signing-key-record.js';

/** A usable signing key: private half for signing, public JWK for the JWKS. */
export interface SigningKeyMaterial {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: CryptoKey;
  publicJwk: JWK;
  privatePem: string;
  publicPem: string;
}

/** Generates a new key pair: RSA 2048 for RS256, P-256 for ES256, Ed25519 for EdDSA. */
export async function generateSigningKey(alg: SigningAlgorithm): Promise<SigningKeyMaterial> {
  const { privateKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === 'RS256' ? { modulusLength: 2048 } : {}),
    ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
  });
  return importSigningKey(await exportPKCS8(privateKey));
}

function algorithmOf(pem: string): SigningAlgorithm {
  const key = createPrivateKey(pem);
  switch (key.asymmetricKeyType) {
    case 'rsa':
      // jose refuses to sign with less (RFC 7518 §3.3), so refuse it at start, not per token.
      if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
        throw new Error('RSA signing keys must have at least 2048 bits');
      }
      return 'RS256';
    case 'ec':
      if (key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
        throw new Error('EC signing keys must use the P-256 curve (ES256)');
      }
      return 'ES256';
    case 'ed25519':
      return 'EdDSA';
    default:
      throw new Error(`unsupported signing key type ${key.asymmetricKeyType ?? 'unknown'}`);
  }
}

/**
 * Loads a PKCS#8 PEM private key, works out its algorithm and its `kid` (the RFC 7638
 * thumbprint of the public key).
 * @throws Error when the PEM is not a usable RSA, P-256 or Ed25519 private key.
 */
export async function importSigningKey(privatePem: string): Promise<SigningKeyMaterial> {
  const alg = algorithmOf(privatePem);
  const pkcs8 = createPrivateKey(privatePem).export({ format: 'pem', type: 'pkcs8' }).toString();
  const privateKey = (await importPKCS8(pkcs8, alg, { extractable: false })) as CryptoKey;
  const publicKeyObject = createPublicKey(pkcs8);
  const publicPem = publicKeyObject.export({ format: 'pem', type: 'spki' }).toString();
  const jwk = await exportJWK(publicKeyObject);
  const kid = await calculateJwkThumbprint(jwk, 'sha256');
  const publicJwk: JWK = { ...jwk, kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicJwk, privatePem: pkcs8, publicPem };
}
