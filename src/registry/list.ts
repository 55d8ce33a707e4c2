// Reading every attestation attached to an image: Sigstore bundles referenced through the referrers API
// or the fallback tag, then cosign's `.att` envelopes. A referrer whose manifest or layer is unusable is
// returned with its problem rather than dropped, so nothing attached goes unreported.

import { isSigstoreBundleType } from './media-types.ts';
import { readCosignAttestations } from './cosign-att.ts';
import { parseImageManifest } from './oci.ts';
import { findReferrers, type FoundReferrer } from './referrers.ts';
import { MAX_LAYERS } from './limits.ts';
import { readLayerJSON, type RegistryBundle } from './registry-bundle.ts';
import type { RepositoryClient } from './repository.ts';

export async function listAttachedBundles(
  repo: RepositoryClient,
  subjectDigest: string,
  artifactType?: string,
): Promise<RegistryBundle[]> {
  const out: RegistryBundle[] = [];
  for (const referrer of await findReferrers(repo, subjectDigest, artifactType)) {
    out.push(...(await readReferrer(repo, subjectDigest, referrer)));
  }
  out.push(...(await readCosignAttestations(repo, subjectDigest)));
  return out;
}

async function readReferrer(
  repo: RepositoryClient,
  subjectDigest: string,
  { descriptor }: FoundReferrer,
): Promise<RegistryBundle[]> {
  const source = `${repo.name}@${subjectDigest}(referrer ${descriptor.digest})`;
  const found = await repo.getManifest(descriptor.digest);
  if (found === undefined)
    return [
      {
        source,
        json: undefined,
        problem: `referrer manifest ${descriptor.digest} is listed but missing from ${repo.name}`,
      },
    ];
  const manifest = parseImageManifest(found.json);
  const layers = manifest?.layers.filter((layer) => isSigstoreBundleType(layer.mediaType)) ?? [];
  if (layers.length === 0)
    return [
      { source, json: undefined, problem: `referrer manifest ${descriptor.digest} has no Sigstore bundle layer` },
    ];
  if (layers.length > MAX_LAYERS)
    return [
      {
        source,
        json: undefined,
        problem: `referrer manifest ${descriptor.digest} has ${layers.length} Sigstore bundle layers, more than ${MAX_LAYERS}`,
      },
    ];
  const out: RegistryBundle[] = [];
  // One bundle per referrer is the layout; more are read too, each named by its layer.
  for (const layer of layers)
    out.push(
      await readLayerJSON(repo, layer, layers.length === 1 ? source : `${source.slice(0, -1)} layer ${layer.digest})`),
    );
  return out;
}
