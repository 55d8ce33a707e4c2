// The Sigstore public-good instance's roots as shipped with the action, from the seeds.json of
// @sigstore/tuf: the TUF repository's root.json (where TUF starts when it fetches the current
// trusted root, public-good-tuf.ts) and a snapshot of its trusted_root.json target (what
// `public-good-offline` uses, and `public-good` when the repository cannot be reached). Imported
// as JSON so the bundler inlines it and dist/ needs no file beside it.

import { tufSeeds as seeds } from '../crypto/sigstore-internals.ts';
import type { TrustedRootJSON } from './root-json.ts';
import { validateTrustedRoot } from './validate.ts';

export const PUBLIC_GOOD_TUF_MIRROR = 'https://tuf-repo-cdn.sigstore.dev';

export const SNAPSHOT_SOURCE = 'the public-good trusted root shipped with the action';

const seed = seeds[PUBLIC_GOOD_TUF_MIRROR];

/** The snapshot of the public-good trusted root document, parsed but not validated (tests mutate it). */
export function publicGoodSnapshotDocument(): unknown {
  return JSON.parse(Buffer.from(seed.targets['trusted_root.json'], 'base64').toString('utf8'));
}

/** The snapshot, validated. */
export function publicGoodSnapshot(): TrustedRootJSON {
  return validateTrustedRoot(publicGoodSnapshotDocument(), SNAPSHOT_SOURCE);
}

/** The TUF root.json (text) of the public-good repository that @sigstore/tuf pins. */
export function publicGoodSeedRoot(): string {
  return Buffer.from(seed['root.json'], 'base64').toString('utf8');
}

/**
 * The day of the newest `validFor.start` in a root (YYYY-MM-DD): the latest change of keys the
 * snapshot knows about. It was taken on or after that day; a key Sigstore added later is unknown to
 * it, and a key revoked later is still trusted by it. (The seed carries no date of its own: its
 * TUF root's `expires` says when that root must be replaced, not when the snapshot was taken.)
 */
export function snapshotDate(root: TrustedRootJSON): string {
  const starts = [...root.tlogs, ...root.ctlogs]
    .map((log) => log.publicKey.validFor.start)
    .concat([...root.certificateAuthorities, ...root.timestampAuthorities].map((ca) => ca.validFor.start));
  const newest = Math.max(...starts.map((start) => Date.parse(start)));
  return Number.isFinite(newest) ? new Date(newest).toISOString().slice(0, 10) : 'an unknown date';
}
