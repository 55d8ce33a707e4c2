// Reading GitHub's attestations API: `GET /repos/{o}/{r}/attestations/sha256:<hex>`, paged, each entry
// holding the bundle inline or a `bundle_url` to fetch (served snappy-compressed from storage that
// needs no token, so none is sent). Used by verify mode and by postAttestation's duplicate check.

import { ProvenanceError } from '../common/errors.ts';
import type { Answer, RequestIntent } from './failure.ts';
import { exceedsDepth } from '../common/json.ts';
import { MAX_BUNDLE_BYTES, MAX_BUNDLE_DEPTH } from './limits.ts';
import type { BundleText } from './release-bundles.ts';
import { repoPath, type Repository } from './repository.ts';
import type { GitHubClient } from './client.ts';
import { snappyDecompress, SnappyError } from './snappy.ts';

export interface StoredAttestation {
  id: number | undefined; // GitHub's id when the listing carries one
  bundle: unknown; // inline
  bundleUrl: string | undefined;
}

export const ATTESTATIONS_READ: RequestIntent = { permission: 'attestations: read' };

/** Every stored attestation for the digest, or the 403/404 answer when the API refuses this repository. */
export async function storedAttestations(
  rest: GitHubClient,
  repo: Repository,
  hex: string,
): Promise<StoredAttestation[] | { refused: Answer }> {
  let refused: Answer | undefined;
  const entries = await rest.list(
    { method: 'GET', url: repoPath(repo, 'attestations', `sha256:${hex}`) },
    ATTESTATIONS_READ,
    (page, answer) => {
      const list =
        typeof page === 'object' && page !== null ? (page as { attestations?: unknown }).attestations : undefined;
      if (!Array.isArray(list)) throw rest.unusable(answer, 'a page without an "attestations" array');
      return (list as unknown[]).map((item) => parseEntry(item, rest, answer));
    },
    (answer) => {
      // 404 is GitHub's answer both for "none stored" and for a repository the API does not serve;
      // 403 (not a rate limit) means the repository's plan or the token's permissions exclude it.
      if (answer.status === 404) return [];
      if (answer.status === 403 && answer.rateLimitedFor === undefined) {
        refused = answer;
        return [];
      }
      return undefined;
    },
  );
  return refused ? { refused } : entries;
}

function parseEntry(item: unknown, rest: GitHubClient, answer: Answer): StoredAttestation {
  if (typeof item !== 'object' || item === null)
    throw rest.unusable(answer, 'an attestation entry that is not an object');
  const { id, bundle, bundle_url: bundleUrl } = item as { id?: unknown; bundle?: unknown; bundle_url?: unknown };
  const hasBundle = typeof bundle === 'object' && bundle !== null;
  if (!hasBundle && typeof bundleUrl !== 'string')
    throw rest.unusable(answer, 'an attestation with neither bundle nor bundle_url');
  // bundleText re-serializes an inline bundle; JSON.stringify recurses, so a hostile depth would end it with a RangeError.
  if (hasBundle && exceedsDepth(bundle, MAX_BUNDLE_DEPTH))
    throw rest.unusable(answer, `an attestation bundle nested deeper than ${MAX_BUNDLE_DEPTH} levels`);
  return {
    id: typeof id === 'number' ? id : undefined,
    bundle: hasBundle ? bundle : undefined,
    bundleUrl: typeof bundleUrl === 'string' ? bundleUrl : undefined,
  };
}

/** The entry's bundle as JSON text: inline, or fetched from bundle_url (snappy-compressed, or plain JSON). */
export async function bundleText(rest: GitHubClient, entry: StoredAttestation): Promise<string> {
  if (entry.bundle !== undefined) return JSON.stringify(entry.bundle);
  const answer = await rest.send({
    method: 'GET',
    url: entry.bundleUrl ?? '',
    accept: '*/*',
    anonymous: true,
    maxBytes: MAX_BUNDLE_BYTES,
    raw: true,
  });
  if (answer.status !== 200 || !Buffer.isBuffer(answer.data)) throw rest.refusal(answer, ATTESTATIONS_READ);
  const body = answer.data;
  const first = body.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (first === 0x7b) return body.toString('utf8'); // "{": stored uncompressed
  try {
    return snappyDecompress(body, MAX_BUNDLE_BYTES).toString('utf8');
  } catch (err) {
    if (err instanceof SnappyError)
      throw rest.unusable(answer, `a bundle that is neither JSON nor snappy-compressed JSON (${err.message})`);
    throw err;
  }
}

export async function listAttestations(
  rest: GitHubClient,
  serverUrl: string,
  repo: Repository,
  hex: string,
): Promise<BundleText[]> {
  const stored = await storedAttestations(rest, repo, hex);
  if (!Array.isArray(stored)) {
    throw unavailable(rest, stored.refused, ATTESTATIONS_READ);
  }
  const bundles: BundleText[] = [];
  for (const [i, entry] of stored.entries()) {
    const source =
      entry.id === undefined
        ? `${serverUrl}/${repo.owner}/${repo.name}/attestations (sha256:${hex} #${i + 1})`
        : attestationUrl(serverUrl, repo, entry.id);
    bundles.push({ source, text: await bundleText(rest, entry) });
  }
  return bundles;
}

/** The attestations API refused this repository: its plan (private repositories need one that includes artifact attestations) or the token. */
export function unavailable(rest: GitHubClient, answer: Answer, intent: RequestIntent): ProvenanceError {
  return new ProvenanceError(
    'ATTESTATIONS_UNAVAILABLE',
    rest.refusal(answer, intent).message,
    `Grant the job "permissions: ${intent.permission}"; a private repository also needs a plan with artifact attestations (GitHub Enterprise Cloud)`,
  );
}

export function attestationUrl(serverUrl: string, repo: Repository, id: number): string {
  return `${serverUrl}/${repo.owner}/${repo.name}/attestations/${id}`;
}
