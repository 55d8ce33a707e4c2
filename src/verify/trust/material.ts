// Trusted roots turned into what @sigstore/verify checks against (TrustMaterial), once per run:
// keys and certificates are parsed here, never per bundle. Our own conversion instead of
// sigstore-js' toTrustMaterial, which treats a missing validFor.start as "trusted forever" and
// parses PKIX RSA keys as PKCS#1; roots reach this file only after validateTrustedRoot.

import { createPublicKey, type KeyObject } from 'node:crypto';
import { Verifier, type TrustMaterial, type VerifierOptions } from '@sigstore/verify';
import { decodeBase64Strict } from '../crypto/patches/base64.ts';
import { parseCertificate, withRememberedSignatures } from '../fast/certificate-cache.ts';
import { withFastSigningKey } from '../fast/signing-key.ts';
import { VerificationError } from '../types.ts';
import type {
  CertificateAuthorityJSON,
  TimeRangeJSON,
  TransparencyLogInstanceJSON,
  TrustedRootJSON,
} from './root-json.ts';

type TLogAuthority = TrustMaterial['tlogs'][number];
type CertAuthority = TrustMaterial['certificateAuthorities'][number];

// Protobuf's Timestamp maximum is far in the future; Date's maximum stands in for "no end".
const END_OF_TIME = new Date(8_640_000_000_000_000);

/** One trusted root, ready to verify bundles: its material and the thresholds it can satisfy. */
export interface TrustedInstance {
  readonly material: TrustMaterial;
  readonly options: Required<Pick<VerifierOptions, 'tlogThreshold' | 'ctlogThreshold' | 'timestampThreshold'>>;
  readonly verifier: Verifier;
}

/** Everything verify mode trusts for one run: one instance per trusted root. */
export interface Trust {
  readonly instances: readonly TrustedInstance[];
  /** The roots it was made from: what a worker thread makes its own from. */
  readonly roots: readonly TrustedRootJSON[];
}

const materials = new WeakMap<TrustedRootJSON, TrustMaterial>();

export function createTrust(roots: readonly TrustedRootJSON[]): Trust {
  return { instances: roots.map(instanceOf), roots };
}

function instanceOf(root: TrustedRootJSON): TrustedInstance {
  const material = trustMaterialOf(root);
  // A bundle must carry what its instance provides: a trusted time always (an inclusion promise's
  // integrated time or an RFC 3161 timestamp), a log entry when the root has logs (public-good),
  // an SCT when it has CT logs. GitHub's instance has neither logs nor CT logs, only a TSA.
  const options = {
    timestampThreshold: 1,
    tlogThreshold: material.tlogs.length > 0 ? 1 : 0,
    ctlogThreshold: material.ctlogs.length > 0 ? 1 : 0,
  };
  return {
    material,
    options,
    verifier: withFastSigningKey(new Verifier(material, options), material, options.ctlogThreshold),
  };
}

const logless = new WeakMap<TrustedInstance, Verifier>();

/**
 * The instance's Verifier with its log stage left out (no log entry required or read), for entries
 * whose inclusion and body are checked by our own code because sigstore-js cannot read them
 * (crypto/intoto-v001.ts); every other stage is the instance's own.
 */
export function verifierWithoutLogs(instance: TrustedInstance): Verifier {
  let verifier = logless.get(instance);
  if (!verifier) {
    const options = { ...instance.options, tlogThreshold: 0 };
    verifier = withFastSigningKey(new Verifier(instance.material, options), instance.material, options.ctlogThreshold);
    logless.set(instance, verifier);
  }
  return verifier;
}

/** The parsed material of a root; parsed on first use and kept for the root object's lifetime. */
export function trustMaterialOf(root: TrustedRootJSON): TrustMaterial {
  let material = materials.get(root);
  if (!material) {
    material = {
      certificateAuthorities: root.certificateAuthorities.map((ca, i) =>
        certAuthority(ca, `certificateAuthorities[${i}]`),
      ),
      timestampAuthorities: root.timestampAuthorities.map((ca, i) => certAuthority(ca, `timestampAuthorities[${i}]`)),
      tlogs: root.tlogs.map((log, i) => tlogAuthority(log, `tlogs[${i}]`)),
      ctlogs: root.ctlogs.map((log, i) => tlogAuthority(log, `ctlogs[${i}]`)),
      publicKey: noManagedKey,
    };
    materials.set(root, material);
  }
  return material;
}

// A trusted root never holds managed keys; verifying a key-signed bundle supplies its own finder.
function noManagedKey(hint: string): never {
  throw new VerificationError({
    check: 'public-key',
    expected: 'a public key to verify a bundle signed with a managed key',
    found: `no key given (bundle key hint "${hint}")`,
  });
}

function tlogAuthority(log: TransparencyLogInstanceJSON, where: string): TLogAuthority {
  const der = bytes(log.publicKey.rawBytes, `${where}.publicKey.rawBytes`);
  // PKCS1_* key details are bare PKCS#1 RSA keys; every PKIX_* one is a SubjectPublicKeyInfo.
  const type = log.publicKey.keyDetails?.startsWith('PKCS1_') ? 'pkcs1' : 'spki';
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: der, format: 'der', type });
  } catch (err) {
    throw unusable(
      `${where}.publicKey.rawBytes`,
      'a DER public key',
      `a key that does not parse (${message(err)})`,
      err,
    );
  }
  return {
    baseURL: log.baseUrl,
    logID: bytes((log.checkpointKeyId ?? log.logId).keyId, `${where}.logId.keyId`),
    publicKey,
    validFor: timeRange(log.publicKey.validFor),
  };
}

function certAuthority(ca: CertificateAuthorityJSON, where: string): CertAuthority {
  const certChain = ca.certChain.certificates.map((cert, i) => {
    const field = `${where}.certChain.certificates[${i}].rawBytes`;
    try {
      return withRememberedSignatures(parseCertificate(bytes(cert.rawBytes, field)));
    } catch (err) {
      if (err instanceof VerificationError) throw err;
      throw unusable(field, 'a DER X.509 certificate', `bytes that do not parse (${message(err)})`, err);
    }
  });
  return { certChain, validFor: timeRange(ca.validFor) };
}

function timeRange(range: TimeRangeJSON): { start: Date; end: Date } {
  return { start: new Date(range.start), end: range.end === undefined ? END_OF_TIME : new Date(range.end) };
}

function bytes(text: string, field: string): Buffer<ArrayBuffer> {
  const decoded = decodeBase64Strict(text);
  if (!decoded || decoded.length === 0)
    throw unusable(field, 'base64 bytes', text === '' ? 'nothing' : 'text that is not base64');
  return Buffer.from(decoded);
}

function unusable(field: string, expected: string, found: string, cause?: unknown): VerificationError {
  return new VerificationError({ check: 'trusted-root', expected: `${field}: ${expected}`, found }, { cause });
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
