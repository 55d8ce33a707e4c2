// cosign's layout before OCI 1.1: the tag `sha256-<hex>.att` holds a manifest with one
// `application/vnd.dsse.envelope.v1+json` layer per attestation. The layers are bare DSSE envelopes (no
// certificate or log entry beside them); they are returned as found, and verify mode says so.

import { MAX_LAYERS } from './limits.ts';
import { DSSE_ENVELOPE } from './media-types.ts';
import { parseImageManifest, referrersTag } from './oci.ts';
import { readLayerJSON, type RegistryBundle } from './registry-bundle.ts';
import type { RepositoryClient } from './repository.ts';

export function cosignAttestationTag(subjectDigest: string): string {
  return `${referrersTag(subjectDigest)}.att`;
}

export async function readCosignAttestations(repo: RepositoryClient, subjectDigest: string): Promise<RegistryBundle[]> {
  const tag = cosignAttestationTag(subjectDigest);
  const found = await repo.getManifest(tag);
  if (found === undefined) return [];
  const at = `${repo.name}@${subjectDigest}(cosign ${tag}`;
  const manifest = parseImageManifest(found.json);
  if (manifest === undefined) return [{ source: `${at})`, json: undefined, problem: `tag ${tag} holds something other than an image manifest` }];
  const envelopes = manifest.layers.filter((layer) => layer.mediaType === DSSE_ENVELOPE);
  if (envelopes.length > MAX_LAYERS) return [{ source: `${at})`, json: undefined, problem: `tag ${tag} has ${envelopes.length} attestation layers, more than ${MAX_LAYERS}` }];
  const out: RegistryBundle[] = [];
  for (const layer of envelopes) out.push(await readLayerJSON(repo, layer, `${at} layer ${layer.digest})`));
  return out;
}
