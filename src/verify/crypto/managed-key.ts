// Bundles signed with a managed key (a key pair the signer holds, no certificate) verify against
// the public key the user gives, instead of a certificate authority. The key is parsed once and
// a Verifier per trusted root is kept for it, so a run over many bundles does no per-bundle setup.

import { createPublicKey, type KeyObject } from 'node:crypto';
import { Verifier } from '@sigstore/verify';
import { ProvenanceError } from '../../common/errors.ts';
import type { TrustedInstance } from '../trust/material.ts';

const parsedKeys = new Map<string, KeyObject>();
const verifiers = new WeakMap<TrustedInstance, WeakMap<KeyObject, Verifier>>();

/** The public key in `pem`; a ProvenanceError when it is not one. */
export function managedKey(pem: string): KeyObject {
  let key = parsedKeys.get(pem);
  if (!key) {
    try {
      key = createPublicKey(pem);
    } catch (err) {
      throw new ProvenanceError(
        'INPUT_INVALID',
        `the public key to verify with is not a PEM public key (${err instanceof Error ? err.message : String(err)})`,
        'Give the signer\'s public key as PEM ("-----BEGIN PUBLIC KEY-----")',
        { cause: err },
      );
    }
    parsedKeys.set(pem, key);
  }
  return key;
}

/**
 * A Verifier for `instance` that trusts `key` for any hint at any time: the bundle's key hint is
 * only a label, and a managed key has no validity period of its own; the signing time still has
 * to be proven by the instance's log or timestamp authority.
 */
export function verifierForKey(instance: TrustedInstance, key: KeyObject): Verifier {
  let byKey = verifiers.get(instance);
  if (!byKey) {
    byKey = new WeakMap();
    verifiers.set(instance, byKey);
  }
  let verifier = byKey.get(key);
  if (!verifier) {
    verifier = new Verifier(
      { ...instance.material, publicKey: () => ({ publicKey: key, validFor: () => true }) },
      instance.options,
    );
    byKey.set(key, verifier);
  }
  return verifier;
}
