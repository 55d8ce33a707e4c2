// What a reader of a registry gets back: each Sigstore bundle (from cosign's older layout, each
// attestation layer made into one) with where it was found. Content that cannot be used does not stop the listing; it is
// returned with the problem, so verify mode can report it beside the others.

import { parseJSON } from '../common/json.ts';
import { MAX_BUNDLE_BYTES } from './limits.ts';
import type { Descriptor } from './oci.ts';
import type { RepositoryClient } from './repository.ts';

export interface RegistryBundle {
  /** e.g. `ghcr.io/owner/app@sha256:…(referrer sha256:…)`. */
  source: string;
  /** The parsed JSON, or undefined when `problem` says why there is none. */
  json: unknown;
  problem: string | undefined;
  /** The DSSE envelope's exact text, where the source keeps it apart (cosign's .att layers): a log entry may hash it. */
  loggedEnvelope?: string;
}

/** Downloads one layer and parses it, turning a missing, oversized or non-JSON layer into a `problem`. */
export async function readLayerJSON(
  repo: RepositoryClient,
  layer: Descriptor,
  source: string,
): Promise<RegistryBundle> {
  if (layer.size > MAX_BUNDLE_BYTES) {
    return {
      source,
      json: undefined,
      problem: `layer ${layer.digest} is ${layer.size} bytes, more than ${MAX_BUNDLE_BYTES}`,
    };
  }
  const bytes = await repo.getBlob(layer, MAX_BUNDLE_BYTES);
  if (bytes === undefined)
    return { source, json: undefined, problem: `layer ${layer.digest} is missing from ${repo.name}` };
  const parsed = parseJSON(bytes);
  return parsed.ok
    ? { source, json: parsed.value, problem: undefined }
    : { source, json: undefined, problem: `layer ${layer.digest} is not JSON (${parsed.reason})` };
}
