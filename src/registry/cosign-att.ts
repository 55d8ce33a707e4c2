// cosign's layout before OCI 1.1: the tag `sha256-<hex>.att` holds a manifest with one
// `application/vnd.dsse.envelope.v1+json` layer per attestation (cosign appends a layer for each).
// Each layer, with its annotations, becomes the Sigstore bundle it amounts to (cosign-bundle.ts),
// carrying the envelope's exact bytes for the log entry's hash; a layer that cannot be one is
// returned with its problem, named by its index in the manifest.

import { MAX_BUNDLE_BYTES, MAX_LAYERS } from './limits.ts';
import { DSSE_ENVELOPE } from './media-types.ts';
import { parseImageManifest, referrersTag } from './oci.ts';
import { cosignLayerBundle } from './cosign-bundle.ts';
import type { RegistryBundle } from './registry-bundle.ts';
import type { RepositoryClient } from './repository.ts';

export function cosignAttestationTag(subjectDigest: string): string {
  return `${referrersTag(subjectDigest)}.att`;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export async function readCosignAttestations(repo: RepositoryClient, subjectDigest: string): Promise<RegistryBundle[]> {
  const tag = cosignAttestationTag(subjectDigest);
  const found = await repo.getManifest(tag);
  if (found === undefined) return [];
  const at = `${repo.name}@${subjectDigest}(cosign .att`;
  const manifest = parseImageManifest(found.json);
  if (manifest === undefined)
    return [{ source: `${at})`, json: undefined, problem: `tag ${tag} holds something other than an image manifest` }];
  const envelopes = manifest.layers
    .map((layer, index) => ({ layer, index }))
    .filter(({ layer }) => layer.mediaType === DSSE_ENVELOPE);
  if (envelopes.length > MAX_LAYERS)
    return [
      {
        source: `${at})`,
        json: undefined,
        problem: `tag ${tag} has ${envelopes.length} attestation layers, more than ${MAX_LAYERS}`,
      },
    ];
  const out: RegistryBundle[] = [];
  for (const { layer, index } of envelopes) {
    const source = `${at} layer ${index})`;
    const refuse = (problem: string): number =>
      out.push({ source, json: undefined, problem: `layer ${index} (${layer.digest}): ${problem}` });
    if (layer.size > MAX_BUNDLE_BYTES) {
      refuse(`${layer.size} bytes, more than ${MAX_BUNDLE_BYTES}`);
      continue;
    }
    const bytes = await repo.getBlob(layer, MAX_BUNDLE_BYTES);
    if (bytes === undefined) {
      refuse(`missing from ${repo.name}`);
      continue;
    }
    let text: string;
    try {
      text = UTF8.decode(bytes);
    } catch {
      refuse('not UTF-8 text');
      continue;
    }
    const converted = cosignLayerBundle(text, layer.annotations ?? {});
    if (converted.problem !== undefined) refuse(converted.problem);
    else out.push({ source, json: converted.bundle, problem: undefined, loggedEnvelope: converted.loggedEnvelope });
  }
  return out;
}
