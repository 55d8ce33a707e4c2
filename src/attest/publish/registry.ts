// Putting attest mode's bundles next to the images they describe: each image subject
// (`subject-name` registry/repository[:tag] paired with a sha256 `subject-digest`, one pair per
// line, several images per step) gets the bundle that covers it attached as an OCI referrer.

import type { SerializedBundle } from '@sigstore/bundle';
import type { CopyCheck } from '../../common/attestation-identity.ts';
import { ProvenanceError } from '../../common/errors.ts';
import type { Log } from '../../common/log.ts';
import { createBundleRegistry, parseImageReference, type BundleRegistry } from '../../registry/index.ts';
import type { Subject } from '../../subjects/index.ts';

export interface ImageTarget {
  image: string; // registry/repository[:tag], as the subject is named
  digest: string; // sha256:<hex>
}

/** The image subjects among the subjects attested; a name that is no image reference is an error here. */
export function imageTargets(subjects: readonly Subject[], names: string): ImageTarget[] {
  const wanted = new Set(
    names
      .split(/\r?\n/)
      .map((n) => n.trim())
      .filter((n) => n !== ''),
  );
  if (wanted.size === 0) {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      'push-to-registry is true but no image is named: subject-name and subject-digest give the images',
      'Add "subject-name: ghcr.io/OWNER/IMAGE" and "subject-digest: sha256:…" (e.g. from docker/build-push-action\'s digest output)',
    );
  }
  return subjects
    .filter((s) => wanted.has(s.name))
    .map((s) => {
      const hex = s.digest['sha256'];
      if (hex === undefined)
        throw new ProvenanceError(
          'INPUT_INVALID',
          `subject-digest for image ${s.name} is not sha256`,
          'Images are addressed by their sha256 manifest digest',
        );
      parseImageReference(s.name, 'subject-name');
      return { image: s.name, digest: `sha256:${hex}` };
    });
}

export interface RegistryPushResult {
  image: string;
  referrer: string;
  via: 'referrers-api' | 'tag-fallback';
}

/**
 * Reads each image's manifest (it must exist), writing nothing: publish() checks every sink before
 * writing to any, so a registry that is down fails the step before another sink holds a copy.
 */
export async function checkRegistry(targets: readonly ImageTarget[], registry: BundleRegistry): Promise<void> {
  for (const target of targets)
    await registry.resolveDigest({
      ...parseImageReference(target.image, 'subject-name'),
      tag: undefined,
      digest: target.digest,
    });
}

export { createBundleRegistry };

export async function pushToRegistry(
  targets: readonly ImageTarget[],
  subjects: readonly Subject[],
  bundles: readonly SerializedBundle[],
  subjectsPerBundle: number,
  predicateType: string,
  isOurCopy: CopyCheck,
  log: Log,
  registry: BundleRegistry = createBundleRegistry(),
): Promise<RegistryPushResult[]> {
  const results: RegistryPushResult[] = [];
  for (const target of targets) {
    const index = subjects.findIndex(
      (s) => s.name === target.image && `sha256:${s.digest['sha256'] ?? ''}` === target.digest,
    );
    const bundle = bundles[Math.floor(index / subjectsPerBundle)];
    if (index < 0 || !bundle) throw new Error(`no bundle covers ${target.image}`); // a bug: every subject was signed
    const ref = parseImageReference(target.image, 'subject-name');
    const attached = await registry.attachBundle(
      { ...ref, tag: undefined, digest: target.digest },
      bundle,
      predicateType,
      isOurCopy,
    );
    log.info(`${target.image}@${target.digest}: bundle attached as ${attached.referrer} (${attached.via})`);
    results.push({ image: target.image, referrer: attached.referrer, via: attached.via });
  }
  return results;
}
