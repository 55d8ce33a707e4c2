// Finding the referrers of an image: the registry's referrers API where it has one, and the
// `sha256-<hex>` fallback tag always (a registry may have gained the API after bundles were attached
// through the tag). Entries are merged by digest and narrowed to Sigstore bundles.

import { ProvenanceError } from '../common/errors.ts';
import { readFallbackIndex } from './fallback-index.ts';
import { MAX_REFERRERS } from './limits.ts';
import { isSigstoreBundleType } from './media-types.ts';
import type { Descriptor } from './oci.ts';
import type { RepositoryClient } from './repository.ts';

export type ReferrerSource = 'referrers-api' | 'tag-fallback';

export interface FoundReferrer {
  descriptor: Descriptor;
  via: ReferrerSource;
}

/**
 * `artifactType` narrows to exactly that type (and is passed to the API as its filter); without it, every
 * Sigstore bundle version is kept, filtered here, since the API's filter takes only one type.
 */
export async function findReferrers(
  repo: RepositoryClient,
  subjectDigest: string,
  artifactType?: string,
): Promise<FoundReferrer[]> {
  const wanted = (d: Descriptor): boolean =>
    artifactType === undefined ? isSigstoreBundleType(d.artifactType) : d.artifactType === artifactType;
  const fromApi = (await repo.referrers(subjectDigest, artifactType)) ?? [];
  const fromTag = (await readFallbackIndex(repo, subjectDigest)).entries;
  const found = new Map<string, FoundReferrer>();
  for (const descriptor of fromApi)
    if (wanted(descriptor)) found.set(descriptor.digest, { descriptor, via: 'referrers-api' });
  for (const descriptor of fromTag) {
    if (wanted(descriptor) && !found.has(descriptor.digest))
      found.set(descriptor.digest, { descriptor, via: 'tag-fallback' });
  }
  if (found.size > MAX_REFERRERS) {
    throw new ProvenanceError(
      'REGISTRY_CONTENT_INVALID',
      `registry ${repo.transport.registry}: ${repo.name}@${subjectDigest} has ${found.size} Sigstore referrers, more than ${MAX_REFERRERS}`,
      'Delete old attestations from the image before attaching or verifying more',
    );
  }
  return [...found.values()];
}
