// The manifest that attaches one Sigstore bundle to an image, as cosign and GitHub lay it out (see
// /work/shared/notes/formats.md): an OCI image manifest whose config is the empty descriptor, whose
// single layer is the bundle, and whose `subject` is the image, so registries (and readers of the
// fallback tag) can find it from the image's digest.

import {
  ANNOTATION_CONTENT,
  ANNOTATION_CREATED,
  ANNOTATION_PREDICATE_TYPE,
  OCI_EMPTY,
  OCI_EMPTY_CONTENT,
  OCI_MANIFEST,
  SIGSTORE_BUNDLE_ARTIFACT,
} from './media-types.ts';
import { sha256Digest, type Descriptor } from './oci.ts';

export const EMPTY_CONFIG_BYTES = Buffer.from(OCI_EMPTY_CONTENT);

export const EMPTY_CONFIG: Descriptor = {
  mediaType: OCI_EMPTY,
  digest: sha256Digest(EMPTY_CONFIG_BYTES),
  size: EMPTY_CONFIG_BYTES.byteLength,
};

export interface ReferrerManifest {
  bytes: Uint8Array;
  /** The manifest's own descriptor, as it goes into the fallback index. */
  descriptor: Descriptor;
}

export function referrerManifest(
  subject: Descriptor,
  bundleLayer: Descriptor,
  predicateType: string,
  created: Date,
): ReferrerManifest {
  const annotations = {
    [ANNOTATION_CONTENT]: 'dsse-envelope',
    [ANNOTATION_PREDICATE_TYPE]: predicateType,
    // Whole seconds, as cosign writes it.
    [ANNOTATION_CREATED]: created.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: SIGSTORE_BUNDLE_ARTIFACT,
    config: EMPTY_CONFIG,
    layers: [bundleLayer],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
    annotations,
  };
  const bytes = Buffer.from(JSON.stringify(manifest));
  return {
    bytes,
    descriptor: {
      mediaType: OCI_MANIFEST,
      digest: sha256Digest(bytes),
      size: bytes.byteLength,
      artifactType: SIGSTORE_BUNDLE_ARTIFACT,
      annotations,
    },
  };
}
