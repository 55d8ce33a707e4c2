// The media types that appear in registry traffic for attestations, in one place so the writer and the
// reader agree. See /work/shared/notes/formats.md ("OCI registries").

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

/** Sent with every manifest request: Debian's registry serves OCI manifests only to clients that ask. */
export const MANIFEST_ACCEPT = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST].join(', ');

/** The config of an artifact manifest that has none: the two bytes `{}`. */
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
export const OCI_EMPTY_CONTENT = '{}';

/** `artifactType` of the referrer manifests we push. */
export const SIGSTORE_BUNDLE_ARTIFACT = 'application/vnd.dev.sigstore.bundle.v0.3+json';

/** Any Sigstore bundle version, in either spelling (`…bundle.v0.3+json`, `…bundle+json;version=0.2`). */
export function isSigstoreBundleType(mediaType: string | undefined): boolean {
  return (
    mediaType !== undefined && /^application\/vnd\.dev\.sigstore\.bundle(?:\.v[0-9.]+)?\+json(?:;.*)?$/.test(mediaType)
  );
}

/** cosign's older layout: one DSSE envelope per layer of the `sha256-<hex>.att` manifest. */
export const DSSE_ENVELOPE = 'application/vnd.dsse.envelope.v1+json';

export const ANNOTATION_CONTENT = 'dev.sigstore.bundle.content';
export const ANNOTATION_PREDICATE_TYPE = 'dev.sigstore.bundle.predicateType';
export const ANNOTATION_CREATED = 'org.opencontainers.image.created';
