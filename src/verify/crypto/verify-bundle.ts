// The cryptographic checks on one bundle: its format, that the given artifact is what it signed,
// its trusted time, certificate chain and SCT (or managed key), log entry, and signature — by
// @sigstore/verify's Verifier, against each trusted root until one accepts it. No identity policy
// here: the certificate's facts are returned for the policy layer to judge.

import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import type { SignedEntity, Verifier } from '@sigstore/verify';
import { verifierWithoutLogs, type Trust, type TrustedInstance } from '../trust/material.ts';
import { VerificationError, type VerifiedBundle } from '../types.ts';
import { parseBundle } from './bundle-format.ts';
import { requireConsistentProofs } from './patches/proof-consistency.ts';
import { certificateFacts } from './certificate-facts.ts';
import { DigestSignatureContent } from './digest-signature.ts';
import { depth, toFailure, type KeyKind } from './failures.ts';
import { intotoV001Entry, intotoV001Included, requireIntotoV001Body } from './intoto-v001.ts';
import { managedKey, verifierForKey } from './managed-key.ts';
import { messageDigestOf, requireMessageDigest } from './message-digest.ts';
import { earliestTrustedTime, signedEntityOf, stageTracked } from './signed-entity.ts';
import { requireSubject, statementOf, type ArtifactInput } from './statement.ts';

export type { ArtifactInput } from './statement.ts';

export interface CryptoOptions {
  /** PEM public key, for bundles signed with a managed key. */
  key?: string;
  /** The artifact, or its SHA-256: a subject of a DSSE statement, or what a message signature signed. */
  artifact?: ArtifactInput;
  /**
   * The DSSE envelope's text as it was logged, where the source keeps it apart from the bundle
   * (cosign's .att layers): a Rekor intoto 0.0.1 entry records its hash.
   */
  loggedEnvelope?: string;
}

/** Verifies `bundle` (JSON text, bytes, or parsed JSON); throws a VerificationError naming the failed check. */
export function verifyBundleCrypto(bundle: unknown, trust: Trust, options: CryptoOptions = {}): VerifiedBundle {
  const parsed = parseBundle(bundle);
  requireConsistentProofs(parsed);
  const keyKind = keyKindOf(parsed, options);
  const { artifact } = options;
  let statement: VerifiedBundle['statement'];
  let messageDigest: VerifiedBundle['messageDigest'];
  let artifactBytes: Buffer | undefined;
  let signature: SignedEntity['signature'] | undefined;

  // The cheap checks first, so a wrong artifact is reported as that and not as a bad signature.
  const content = parsed.content;
  switch (content.$case) {
    case 'dsseEnvelope':
      statement = statementOf(content.dsseEnvelope);
      if (artifact) {
        if (!statement)
          throw new VerificationError({
            check: 'subject-digest',
            expected: 'an in-toto statement whose subjects the artifact can be matched against',
            found: `DSSE payload type ${content.dsseEnvelope.payloadType}`,
          });
        requireSubject(statement, artifact);
      }
      break;
    case 'messageSignature': {
      messageDigest = messageDigestOf(content.messageSignature);
      if (!artifact)
        throw new VerificationError({
          check: 'signature',
          expected: 'the artifact or its digest, to check the message signature over',
          found: 'neither',
        });
      requireMessageDigest(messageDigest, artifact);
      if ('data' in artifact) artifactBytes = artifact.data;
      else
        signature = new DigestSignatureContent(
          content.messageSignature.signature,
          Buffer.from(messageDigest.hex, 'hex'),
        );
      break;
    }
  }

  const entity = signedEntityOf(parsed, artifactBytes, signature);
  // keyKindOf guarantees a key exactly when the bundle is key-signed.
  const key = keyKind === 'public-key' ? managedKey(options.key ?? '') : undefined;
  try {
    const legacy = intotoV001Entry(parsed);
    if (legacy && content.$case === 'dsseEnvelope') {
      // The body and inclusion checks the Verifier cannot make on this kind, then its own without a log stage.
      requireIntotoV001Body(legacy, content.dsseEnvelope, leafDER(parsed), options.loggedEnvelope);
      const included = trust.instances.filter((i) => intotoV001Included(legacy, i.material.tlogs));
      if (included.length === 0)
        throw new VerificationError({
          check: 'tlog',
          expected: 'an inclusion promise (or proof) for the intoto 0.0.1 entry from a trusted Rekor log',
          found: 'none that verifies',
        });
      verifyWithAny(
        { ...entity, tlogEntries: [] },
        included.map((i) => verifierOf(i, key, true)),
        keyKind,
      );
    } else {
      verifyWithAny(
        entity,
        trust.instances.map((i) => verifierOf(i, key, false)),
        keyKind,
      );
    }
  } catch (err) {
    throw err instanceof VerificationError ? diagnose(err, entity, key, parsed) : err;
  }

  const signedAt = earliestTrustedTime(entity);
  if (!signedAt) throw new VerificationError({ check: 'timestamp', expected: 'a trusted signing time', found: 'none' });
  return {
    certificate: entity.key.$case === 'certificate' ? certificateFacts(entity.key.certificate) : undefined,
    signedAt,
    statement,
    messageDigest,
    ...(statement && content.$case === 'dsseEnvelope'
      ? { statementDigest: createHash('sha256').update(content.dsseEnvelope.payload).digest('hex') }
      : {}),
    ...logEntryOf(parsed),
  };
}

/**
 * The bundle's first log entry, for the report's link to it (search.sigstore.dev for public-good):
 * the index in canonical decimal (a protobuf int64 may arrive as "007"), the log id as hex.
 */
function logEntryOf(bundle: Bundle): Pick<VerifiedBundle, 'logEntry'> {
  const entry = bundle.verificationMaterial.tlogEntries[0];
  if (entry?.logId === undefined || !/^\d+$/.test(entry.logIndex)) return {};
  return {
    logEntry: { logIndex: BigInt(entry.logIndex).toString(), logId: Buffer.from(entry.logId.keyId).toString('hex') },
  };
}

function leafDER(bundle: Bundle): Uint8Array | undefined {
  const material = bundle.verificationMaterial.content;
  if (material.$case === 'certificate') return material.certificate.rawBytes;
  return material.$case === 'x509CertificateChain'
    ? material.x509CertificateChain.certificates[0]?.rawBytes
    : undefined;
}

function verifierOf(instance: TrustedInstance, key: KeyObject | undefined, withoutLogs: boolean): Verifier {
  if (key) return verifierForKey(instance, key);
  return withoutLogs ? verifierWithoutLogs(instance) : instance.verifier;
}

// A key-signed bundle needs the key; a certificate-signed one must not be checked against a key
// the user meant for something else.
function keyKindOf(bundle: Bundle, options: CryptoOptions): KeyKind {
  const kind: KeyKind = bundle.verificationMaterial.content.$case === 'publicKey' ? 'public-key' : 'certificate';
  if (kind === 'public-key' && options.key === undefined) {
    throw new VerificationError({
      check: 'public-key',
      expected: 'a public key to verify a bundle signed with a managed key',
      found: 'no key given',
    });
  }
  if (kind === 'certificate' && options.key !== undefined) {
    throw new VerificationError({
      check: 'public-key',
      expected: 'a bundle signed with the given public key',
      found: 'a bundle signed with a certificate',
    });
  }
  return kind;
}

function verifyWithAny(entity: SignedEntity, verifiers: readonly Verifier[], keyKind: KeyKind): void {
  let best: VerificationError | undefined;
  for (const verifier of verifiers) {
    const tracked = stageTracked(entity);
    try {
      verifier.verify(tracked.entity);
      return;
    } catch (err) {
      const failure = toFailure(err, tracked.stage(), keyKind);
      if (!best || depth(failure) > depth(best)) best = failure;
    }
  }
  throw best ?? new VerificationError({ check: 'trusted-root', expected: 'at least one trusted root', found: 'none' });
}

/**
 * The root cause of a failure, where the Verifier's order hides it: it checks timestamps and log
 * entries before the signature, so a tampered signature shows up as "timestamp" or "tlog". Only
 * on the failure path: if the signature does not verify with the key in the bundle (or the given
 * key), that is what failed. For a managed key whose bundle names another key (the hint is the
 * SHA-256 of the key's SubjectPublicKeyInfo), it is the key that is wrong.
 */
function diagnose(
  failure: VerificationError,
  entity: SignedEntity,
  key: KeyObject | undefined,
  bundle: Bundle,
): VerificationError {
  const { check } = failure.failure;
  if (check === 'bundle-format' || check === 'trusted-root' || check === 'subject-digest') return failure;
  const signingKey = key ?? leafKey(entity);
  if (!signingKey) return failure;
  if (check !== 'signature') {
    let verifies: boolean;
    try {
      verifies = entity.signature.verifySignature(signingKey);
    } catch {
      return failure;
    }
    if (verifies) return failure;
  }
  const hint =
    bundle.verificationMaterial.content.$case === 'publicKey' ? bundle.verificationMaterial.content.publicKey.hint : '';
  if (key && namesAnotherKey(hint, key)) {
    return new VerificationError(
      {
        check: 'public-key',
        expected: `the key the bundle was signed with (SHA-256 ${hint})`,
        found: `a different key (SHA-256 ${fingerprint(key)})`,
      },
      { cause: failure },
    );
  }
  if (check === 'signature') return failure;
  const whose = key ? 'the given public key' : "the certificate's key";
  return new VerificationError(
    {
      check: 'signature',
      expected: `a signature that verifies with ${whose}`,
      found: `one that does not (and so ${check} fails too: ${failure.failure.found})`,
    },
    { cause: failure },
  );
}

function leafKey(entity: SignedEntity): KeyObject | undefined {
  if (entity.key.$case !== 'certificate') return undefined;
  try {
    return createPublicKey({ key: entity.key.certificate.publicKey, format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

function namesAnotherKey(hint: string, key: KeyObject): boolean {
  // Only a hint that looks like a SHA-256 fingerprint says anything; others are free-form labels.
  return Buffer.from(hint, 'base64').length === 32 && hint !== fingerprint(key);
}

function fingerprint(key: KeyObject): string {
  return createHash('sha256')
    .update(key.export({ type: 'spki', format: 'der' }))
    .digest('base64');
}
