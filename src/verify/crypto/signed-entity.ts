// The bundle as @sigstore/verify's Verifier consumes it (a SignedEntity), with three changes:
// RFC 3161 timestamps read their time leniently (timestamp.ts), a message signature can be
// checked against a digest instead of the artifact (digest-signature.ts), and the DER parts (the
// leaf certificate, timestamp tokens) are read once, by der.ts, into objects that keep their
// encodings (certificate-cache.ts). Also a view of the entity that records which stage the
// Verifier is in, so a failure it did not label can still be attributed to the right check.

import type { Bundle } from '@sigstore/bundle';
import { toSignedEntity, type SignedEntity } from '@sigstore/verify';
import { VerificationError } from '../types.ts';
import { readCertificate, withCachedEncoding } from '../fast/certificate-cache.ts';
import { readDER } from '../fast/der.ts';
import type { Stage } from './failures.ts';
import { LenientTimestamp } from './patches/timestamp.ts';

type SignatureContent = SignedEntity['signature'];

export function signedEntityOf(
  bundle: Bundle,
  artifact: Buffer | undefined,
  signature: SignatureContent | undefined,
): SignedEntity {
  let entity: SignedEntity;
  try {
    entity = readEntity(bundle, artifact) ?? sigstoreEntity(bundle, artifact);
  } catch (err) {
    // The leaf certificate or a timestamp token does not parse.
    throw new VerificationError(
      {
        check: 'bundle-format',
        expected: 'a DER leaf certificate and DER RFC 3161 timestamps',
        found: err instanceof Error ? err.message : String(err),
      },
      { cause: err },
    );
  }
  return signature ? { ...entity, signature } : entity;
}

/**
 * toSignedEntity's entity with its DER parts read by der.ts: the timestamp tokens, then the leaf
 * certificate. Undefined when one of them is not strict DER, for toSignedEntity itself to fail
 * on (or read) with its own messages.
 */
function readEntity(bundle: Bundle, artifact: Buffer | undefined): SignedEntity | undefined {
  const timestamps: SignedEntity['timestamps'] = [];
  for (const token of bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps ?? []) {
    const root = readDER(Buffer.from(token.signedTimestamp));
    if (!root) return undefined;
    timestamps.push({ $case: 'timestamp-authority', timestamp: new LenientTimestamp(root) });
  }
  const material = bundle.verificationMaterial.content;
  let key: SignedEntity['key'];
  if (material.$case === 'publicKey') {
    key = { $case: 'public-key', hint: material.publicKey.hint };
  } else {
    const leaf =
      material.$case === 'certificate' ? material.certificate : material.x509CertificateChain.certificates[0];
    const certificate = leaf && readCertificate(Buffer.from(leaf.rawBytes));
    if (!certificate) return undefined;
    key = { $case: 'certificate', certificate };
  }
  // The rest as toSignedEntity builds it (the signed content, the log entries and their times),
  // from the bundle without the parts read above, so none is parsed twice.
  const rest = toSignedEntity(
    {
      ...bundle,
      verificationMaterial: { ...bundle.verificationMaterial, content: NO_KEY, timestampVerificationData: undefined },
    },
    artifact,
  );
  return { ...rest, key, timestamps: [...rest.timestamps, ...timestamps] };
}

const NO_KEY: Bundle['verificationMaterial']['content'] = { $case: 'publicKey', publicKey: { hint: '' } };

// sigstore-js' own conversion, then the same changes; reached only for input der.ts refuses.
function sigstoreEntity(bundle: Bundle, artifact: Buffer | undefined): SignedEntity {
  const entity = toSignedEntity(bundle, artifact);
  if (entity.key.$case === 'certificate') withCachedEncoding(entity.key.certificate);
  return {
    ...entity,
    timestamps: entity.timestamps.map((t) =>
      t.$case === 'timestamp-authority' ? { $case: t.$case, timestamp: new LenientTimestamp(t.timestamp.root) } : t,
    ),
  };
}

/**
 * The same entity, noting the stage whenever the Verifier reaches for the part a stage checks:
 * timestamps, then the key (certificate chain, SCTs), then log entries, then the signature.
 */
export function stageTracked(entity: SignedEntity): { entity: SignedEntity; stage: () => Stage } {
  let stage: Stage = 'timestamp';
  const content = entity.signature;
  const signature: SignatureContent = {
    get signature() {
      return content.signature;
    },
    compareSignature: (sig) => content.compareSignature(sig),
    compareDigest: (digest) => content.compareDigest(digest),
    compareSignedDigest: (digest) => content.compareSignedDigest(digest),
    verifySignature: (key) => {
      stage = 'signature';
      return content.verifySignature(key);
    },
  };
  const tracked: SignedEntity = {
    get timestamps() {
      stage = 'timestamp';
      return entity.timestamps;
    },
    get key() {
      stage = 'key';
      return entity.key;
    },
    get tlogEntries() {
      stage = 'tlog';
      return entity.tlogEntries;
    },
    signature,
  };
  return { entity: tracked, stage: () => stage };
}

/** The earliest time the verified entity proves: an RFC 3161 time or a promised integration time. */
export function earliestTrustedTime(entity: SignedEntity): Date | undefined {
  let earliest: Date | undefined;
  for (const t of entity.timestamps) {
    // The Verifier counts a log entry's time only with an inclusion promise (its SET signs the time).
    const time =
      t.$case === 'timestamp-authority'
        ? t.timestamp.signingTime
        : t.tlogEntry.inclusionPromise
          ? new Date(Number(t.tlogEntry.integratedTime) * 1000)
          : undefined;
    if (time && (!earliest || time < earliest)) earliest = time;
  }
  return earliest;
}
