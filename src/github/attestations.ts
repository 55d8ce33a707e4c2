// Storing a bundle with GitHub's attestations API (`POST /repos/{o}/{r}/attestations`), at most once:
// before every try we look for a stored bundle with the same DSSE signature under its subject digest,
// so neither a re-run nor a retry after a lost answer stores a second copy. A stored bundle with our
// statement counts only if the caller's CopyCheck says it is one we could have signed: anyone with write
// access can store a bundle with our (predictable) statement and a broken signature, and ours then goes
// beside it rather than being left out. Private repositories
// without a plan that includes attestations answer 403/404; in mode "auto" that is a warning.

import { backoffDelay, isTransientStatus, pause } from '../http/retry.ts';
import {
  attestationUrl,
  bundleText,
  storedAttestations,
  unavailable,
  type StoredAttestation,
} from './attestation-reads.ts';
import { statementOf, type CopyCheck } from '../common/attestation-identity.ts';
import { bundleIdentity, type BundleIdentity } from './bundle-identity.ts';
import type { Answer, RequestIntent } from './failure.ts';
import { repoPath, type Repository } from './repository.ts';
import type { GitHubClient } from './client.ts';

/** "auto": a repository the API refuses gets a warning; "true": an error. */
export type AttestationMode = 'auto' | 'true';

export type AttestationResult =
  | { outcome: 'created'; id: number; url: string }
  | { outcome: 'existing'; id: number | undefined; url: string }
  | { outcome: 'unavailable'; warning: string };

const WRITE: RequestIntent = { permission: 'attestations: write' };

export async function postAttestation(
  rest: GitHubClient,
  serverUrl: string,
  repo: Repository,
  bundle: unknown,
  options: { mode: AttestationMode; isOurCopy: CopyCheck },
): Promise<AttestationResult> {
  const identity = bundleIdentity(bundle);
  const policy = rest.retry;
  const refused = (answer: Answer): AttestationResult => {
    const error = unavailable(rest, answer, WRITE);
    if (options.mode === 'true') throw error;
    return {
      outcome: 'unavailable',
      warning: `${error.message}; continuing without a GitHub attestation. ${error.hint}`,
    };
  };
  // Our own retry loop rather than octokit's (the POST goes with retries: 0): a POST whose answer was lost
  // may have been stored, and only a fresh look before the next try can tell. Rate limits are still
  // waited out by octokit's throttling, which never retries what GitHub did not take.
  for (let attempt = 1; ; attempt++) {
    const stored = await findStored(rest, serverUrl, repo, identity, options.isOurCopy);
    if (stored && 'refused' in stored) return refused(stored.refused);
    if (stored) return stored;
    let answer: Answer;
    try {
      answer = await rest.send({
        method: 'POST',
        url: repoPath(repo, 'attestations'),
        body: { json: { bundle } },
        retries: 0,
      });
    } catch (err) {
      if (attempt >= policy.attempts) throw err;
      await pause(backoffDelay(attempt, policy, null));
      continue;
    }
    if (answer.status >= 200 && answer.status < 300) {
      const id = createdId(rest, answer);
      if (id !== undefined) return { outcome: 'created', id, url: attestationUrl(serverUrl, repo, id) };
      // An answer we cannot read (a proxy's garbage, no id) leaves it open whether the bundle was stored:
      // like a lost answer, only a fresh look before the next try can tell.
      if (attempt >= policy.attempts) throw rest.unusable(answer, `HTTP ${answer.status} without an attestation id`);
      await pause(backoffDelay(attempt, policy, null));
      continue;
    }
    const limited = answer.rateLimitedFor !== undefined;
    if (!limited && (answer.status === 403 || answer.status === 404)) return refused(answer);
    const wait =
      !limited && isTransientStatus(answer.status)
        ? backoffDelay(attempt, policy, answer.headers.get('retry-after'))
        : undefined;
    if (wait === undefined || attempt >= policy.attempts) throw rest.refusal({ ...answer, attempts: attempt }, WRITE);
    await pause(wait);
  }
}

/** The id a 201 carries, or undefined when the body is not the JSON GitHub documents. */
function createdId(rest: GitHubClient, answer: Answer): number | undefined {
  let body: unknown;
  try {
    body = rest.parse(answer);
  } catch {
    return undefined;
  }
  const id = typeof body === 'object' && body !== null ? (body as { id?: unknown }).id : undefined;
  return typeof id === 'number' ? id : undefined;
}

/** The stored copy of this attestation (same signed statement, and ours), the API's refusal, or undefined when not stored. */
async function findStored(
  rest: GitHubClient,
  serverUrl: string,
  repo: Repository,
  identity: BundleIdentity,
  isOurCopy: CopyCheck,
): Promise<AttestationResult | { refused: Answer } | undefined> {
  // Without a sha256 subject there is nothing to look it up by; GitHub indexes attestations by subject digest.
  if (identity.subjectDigest === undefined) return undefined;
  const stored = await storedAttestations(rest, repo, identity.subjectDigest);
  if (!Array.isArray(stored)) return stored;
  // Inline bundles first: fetching bundle_url costs a request each.
  const ordered = [...stored.filter((e) => e.bundle !== undefined), ...stored.filter((e) => e.bundle === undefined)];
  for (const entry of ordered) {
    // The same signed statement is the same attestation, whatever signature a re-run gave it, but only
    // in a copy we could have made: someone else's copy of our statement does not keep ours out.
    const candidate = entry.bundle ?? (await parsedOrUndefined(rest, entry));
    if (statementOf(candidate) !== identity.statement || !(await isOurCopy(candidate))) continue;
    const url =
      entry.id === undefined
        ? `${serverUrl}/${repo.owner}/${repo.name}/attestations`
        : attestationUrl(serverUrl, repo, entry.id);
    return { outcome: 'existing', id: entry.id, url };
  }
  return undefined;
}

// A stored bundle that is not JSON cannot be ours: it is skipped here (verify mode reports it).
async function parsedOrUndefined(rest: GitHubClient, entry: StoredAttestation): Promise<unknown> {
  try {
    return JSON.parse(await bundleText(rest, entry)) as unknown;
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}
