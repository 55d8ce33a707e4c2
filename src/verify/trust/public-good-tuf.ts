// The current public-good trusted root, fetched through Sigstore's TUF repository from the TUF
// root @sigstore/tuf ships, so a key Sigstore rotates in or revokes takes effect without a new
// release of the action. Only when the repository cannot be reached at all does the shipped
// snapshot stand in, with a warning naming its date: an attacker who can cut the connection gets
// nothing more than an offline run has. A repository that answers with metadata TUF refuses
// (bad signatures, expired, rolled back) fails the run: that is what TUF is there to catch.

import os from 'node:os';
import { ProvenanceError } from '../../common/errors.ts';
import type { Log } from '../../common/log.ts';
import { publicGoodSeedRoot, publicGoodSnapshot, PUBLIC_GOOD_TUF_MIRROR, snapshotDate } from './public-good.ts';
import type { TrustedRootJSON } from './root-json.ts';
import { fetchTrustedRootTarget, isUnreachable, tufReason } from './tuf.ts';
import { trustedRootFromText } from './validate.ts';

export interface PublicGoodRootOptions {
  /** Default https://tuf-repo-cdn.sigstore.dev; tests serve a repository on loopback. */
  mirrorURL?: string;
  /** The TUF root.json (text) to start from; default the public-good one in @sigstore/tuf's seeds. */
  initialRoot?: string;
  timeoutMs?: number;
  retries?: number;
  /** Where the per-run TUF cache is made (default: the system's temp directory). */
  tempDir?: string;
}

// Quick, so an offline run falls back in about a second (a DNS failure is immediate; one retry
// waits 1 s) and a network that drops packets costs at most 3 + 1 + 3 s.
const TIMEOUT_MS = 3000;
const RETRIES = 1;

export const FETCHED_SOURCE = 'the public-good trusted root from its TUF repository';

/** The public-good trusted root, validated: current from TUF, or the shipped snapshot when TUF is out of reach. */
export async function publicGoodTrustedRoot(
  options: PublicGoodRootOptions,
  log: Pick<Log, 'warning'>,
): Promise<TrustedRootJSON> {
  const mirrorURL = options.mirrorURL ?? PUBLIC_GOOD_TUF_MIRROR;
  let text: string;
  try {
    text = await fetchTrustedRootTarget({
      mirrorURL,
      initialRoot: options.initialRoot ?? publicGoodSeedRoot(),
      tempDir: options.tempDir ?? os.tmpdir(),
      timeoutMs: options.timeoutMs ?? TIMEOUT_MS,
      retries: options.retries ?? RETRIES,
    });
  } catch (err) {
    if (!isUnreachable(err)) {
      throw new ProvenanceError(
        'TRUSTED_ROOT_UNAVAILABLE',
        `trusted-root: the public-good TUF repository ${mirrorURL} answered, but TUF refused what it served (${tufReason(err)})`,
        "The trusted root shipped with the action is not used in its place, since metadata that fails TUF's checks may come from an attack or a rollback. Retry later; to verify against the shipped root knowingly, set trusted-root: public-good-offline",
        { cause: err },
      );
    }
    const snapshot = publicGoodSnapshot();
    log.warning(
      `trusted-root: the public-good TUF repository ${mirrorURL} could not be reached (${tufReason(err)}); using the trusted root shipped with the action instead, ` +
        `whose newest key dates from ${snapshotDate(snapshot)}: a key Sigstore added since is unknown to it, and one revoked since is still trusted. ` +
        'Set trusted-root: public-good-offline to use it without trying the network',
    );
    return snapshot;
  }
  return trustedRootFromText(text, FETCHED_SOURCE);
}
