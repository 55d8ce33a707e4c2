// The referrers tag schema of OCI 1.1, for registries without the referrers API: an image index under
// the tag `sha256-<hex>` listing every referrer of that digest. The registry only offers "last PUT wins"
// (Debian's honoured a stale If-Match in a test here), so adding an entry is read-modify-write, then a
// check that the entry survived. The check waits a settle time longer than a read-modify-write takes,
// so a concurrent writer that read before our PUT has written by then; if our entry was lost, we add it
// again, keeping whatever the other writer added.

import { ProvenanceError } from '../common/errors.ts';
import { backoffDelay, pause, type RetryPolicy } from '../http/retry.ts';
import { isObject } from '../common/json.ts';
import { OCI_INDEX } from './media-types.ts';
import { parseIndexEntries, referrersTag, type Descriptor } from './oci.ts';
import type { RepositoryClient } from './repository.ts';

export interface FallbackTiming {
  /** Least time between our PUT and the check that the entry is still there. */
  settleMinMs: number;
  /** Read-modify-write rounds before giving up. */
  rounds: number;
}

export const DEFAULT_FALLBACK_TIMING: FallbackTiming = { settleMinMs: 1_000, rounds: 8 };
// The settle time is this many times our own read-modify-write, for writers on slower links than ours.
const SETTLE_FACTOR = 3;

interface FallbackIndex {
  /** The index as found (other fields kept when we rewrite it), or undefined when the tag does not exist. */
  json: Record<string, unknown> | undefined;
  /** Entries as found, unknown fields kept. */
  rawEntries: unknown[];
  entries: Descriptor[];
}

export async function readFallbackIndex(repo: RepositoryClient, subjectDigest: string): Promise<FallbackIndex> {
  const tag = referrersTag(subjectDigest);
  const found = await repo.getManifest(tag);
  if (found === undefined) return { json: undefined, rawEntries: [], entries: [] };
  const entries = parseIndexEntries(found.json);
  if (entries === undefined || !isObject(found.json) || !Array.isArray(found.json['manifests'])) {
    throw new ProvenanceError(
      'REGISTRY_CONTENT_INVALID',
      `registry ${repo.transport.registry}: tag ${repo.name}:${tag} holds something other than an OCI image index`,
      `That tag is reserved for the referrers of ${subjectDigest}; delete it or move what it holds`,
    );
  }
  return { json: found.json, rawEntries: found.json['manifests'] as unknown[], entries };
}

export async function addToFallbackIndex(
  repo: RepositoryClient,
  subjectDigest: string,
  entry: Descriptor,
  timing: FallbackTiming,
  retry: RetryPolicy,
): Promise<void> {
  const tag = referrersTag(subjectDigest);
  const listed = (index: FallbackIndex): boolean => index.entries.some((e) => e.digest === entry.digest);
  for (let round = 1; round <= timing.rounds; round++) {
    const started = Date.now();
    const current = await readFallbackIndex(repo, subjectDigest);
    if (!listed(current)) {
      const index = {
        ...current.json,
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: [...current.rawEntries, entry],
      };
      await repo.putManifest(tag, OCI_INDEX, Buffer.from(JSON.stringify(index)));
    }
    const settle = Math.max(timing.settleMinMs, SETTLE_FACTOR * (Date.now() - started));
    // Jitter, so writers that collided once do not collide again in lockstep.
    await sleep(settle + Math.random() * (settle / 2));
    if (listed(await readFallbackIndex(repo, subjectDigest))) return;
    await pause(backoffDelay(round, retry, null));
  }
  throw new ProvenanceError(
    'REGISTRY_FAILED',
    `registry ${repo.transport.registry} failed: PUT /v2/${repo.repository}/manifests/${tag} kept losing referrer ${entry.digest} to concurrent writers after ${timing.rounds} rounds`,
    'Too many jobs attach to this image at once; re-run this job, or use a registry with the OCI referrers API',
  );
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
