// Attaching a signed bundle to an image as an OCI referrer: blobs first (the empty config and the bundle;
// skipped when present), then the referrer manifest by digest. The registry indexes it itself only when
// it answered with `OCI-Subject` and its referrers API then lists the manifest; for any other, the
// fallback tag is updated. Attaching a bundle that is already
// attached (the same bytes, or the same signed statement in a copy the caller's CopyCheck says we could
// have signed, with the same predicate type) changes nothing and returns the existing referrer; someone
// else's copy of our statement does not keep ours out.

import { statementOf, type CopyCheck } from '../common/attestation-identity.ts';
import { ProvenanceError } from '../common/errors.ts';
import { parseJSON } from '../common/json.ts';
import type { RetryPolicy } from '../http/retry.ts';
import { addToFallbackIndex, type FallbackTiming } from './fallback-index.ts';
import {
  ANNOTATION_PREDICATE_TYPE,
  OCI_MANIFEST,
  SIGSTORE_BUNDLE_ARTIFACT,
  isSigstoreBundleType,
} from './media-types.ts';
import { parseImageManifest, sha256Digest, type Descriptor } from './oci.ts';
import { EMPTY_CONFIG_BYTES, referrerManifest } from './referrer-manifest.ts';
import { MAX_BUNDLE_BYTES, MAX_LAYERS } from './limits.ts';
import { findReferrers, type FoundReferrer, type ReferrerSource } from './referrers.ts';
import type { RepositoryClient } from './repository.ts';

/** A serialized Sigstore bundle (`SerializedBundle` fits); its mediaType becomes the layer's. */
export interface AttachableBundle {
  readonly mediaType: string;
}

export interface AttachResult {
  /** The referrer manifest's digest. */
  referrer: string;
  via: ReferrerSource;
}

export interface AttachSettings {
  retry: RetryPolicy;
  /** Whether a stored bundle with our statement is a copy we could have made (src/attest/publish/copy-check.ts). */
  isOurCopy: CopyCheck;
  fallback: FallbackTiming;
  now: () => Date;
}

export async function attachToImage(
  repo: RepositoryClient,
  subject: Descriptor,
  bundle: AttachableBundle,
  predicateType: string,
  settings: AttachSettings,
): Promise<AttachResult> {
  if (!isSigstoreBundleType(bundle.mediaType)) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `the bundle to attach to ${repo.name}@${subject.digest} has mediaType ${JSON.stringify(bundle.mediaType)}, not a Sigstore bundle's`,
      'Attach the Sigstore bundle the attest step produced',
    );
  }
  const bytes = Buffer.from(JSON.stringify(bundle));
  const layer: Descriptor = { mediaType: bundle.mediaType, digest: sha256Digest(bytes), size: bytes.byteLength };
  const existing = await findAttached(
    repo,
    subject.digest,
    layer.digest,
    statementOf(bundle),
    predicateType,
    settings.isOurCopy,
  );
  if (existing !== undefined) return { referrer: existing.descriptor.digest, via: existing.via };

  await repo.pushBlob(EMPTY_CONFIG_BYTES);
  await repo.pushBlob(bytes);
  const manifest = referrerManifest(subject, layer, predicateType, settings.now());
  const pushed = await repo.putManifest(manifest.descriptor.digest, OCI_MANIFEST, manifest.bytes);
  if (pushed.subjectProcessed && (await referrersApiLists(repo, subject.digest, manifest.descriptor.digest))) {
    return { referrer: manifest.descriptor.digest, via: 'referrers-api' };
  }
  await addToFallbackIndex(repo, subject.digest, manifest.descriptor, settings.fallback, settings.retry);
  return { referrer: manifest.descriptor.digest, via: 'tag-fallback' };
}

/**
 * Whether the referrers API answers (200, an image index) and lists this referrer. `OCI-Subject` alone is
 * no proof: ECR, for one, sends it on the PUT but answers the API with 404, and trusting the header there
 * left the bundle findable by neither the API nor the fallback tag. Requiring our own entry, not just an
 * answer, also covers a registry that answers the API without indexing what was pushed; if it only indexes
 * later, the fallback tag is written needlessly but harmlessly (readers merge both).
 */
async function referrersApiLists(
  repo: RepositoryClient,
  subjectDigest: string,
  referrerDigest: string,
): Promise<boolean> {
  const listed = await repo.referrers(subjectDigest, SIGSTORE_BUNDLE_ARTIFACT);
  return listed?.some((d) => d.digest === referrerDigest) ?? false;
}

// A referrer with our predicate type whose layer is these very bytes. Only candidates are fetched.
/**
 * A referrer already holding this bundle, or another bundle signing the same statement that we could
 * have made (a re-run re-signs the same statement: the same attestation, see attestation-identity.ts).
 */
async function findAttached(
  repo: RepositoryClient,
  subjectDigest: string,
  layerDigest: string,
  statement: string | undefined,
  predicateType: string,
  isOurCopy: CopyCheck,
): Promise<FoundReferrer | undefined> {
  for (const found of await findReferrers(repo, subjectDigest, SIGSTORE_BUNDLE_ARTIFACT)) {
    const annotated = found.descriptor.annotations?.[ANNOTATION_PREDICATE_TYPE];
    if (annotated !== undefined && annotated !== predicateType) continue;
    const manifest = await repo.getManifest(found.descriptor.digest);
    const parsed = manifest === undefined ? undefined : parseImageManifest(manifest.json);
    if (parsed?.annotations[ANNOTATION_PREDICATE_TYPE] !== predicateType) continue;
    if (parsed.layers.some((l) => l.digest === layerDigest)) return found;
    if (statement === undefined) continue;
    for (const layer of parsed.layers.slice(0, MAX_LAYERS)) {
      const bytes = await repo.getBlob(layer, MAX_BUNDLE_BYTES);
      const parsed = bytes === undefined ? undefined : parseJSON(bytes);
      if (parsed?.ok && statementOf(parsed.value) === statement && (await isOurCopy(parsed.value))) return found;
    }
  }
  return undefined;
}
