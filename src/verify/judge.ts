// The verdict for each artifact. An artifact passes when at least one bundle that covers it
// (its digest is a subject of the verified statement, or the signed message digest) passes
// every check. Every bundle tried is reported with ALL its failed checks, so a person reading
// the result sees why each candidate was rejected, not only the last one. Pure.

import { dataRecord } from '../common/json.ts';
import type { Subject } from '../subjects/index.ts';
import type { ContentResult } from './policy/cel/types.ts';
import type { CertificateFacts, CheckFailure, VerifiedBundle } from './types.ts';
import { sameArtifact } from '../subjects/claimed.ts';

/** What the cryptographic layer concluded about one bundle. */
export interface BundleOutcome {
  source: string;
  /** Set when every cryptographic check passed. */
  verified: VerifiedBundle | undefined;
  /** Set when a cryptographic check (or parsing) failed. */
  failure: CheckFailure | undefined;
  /** Subjects the statement claims, unverified: only to attribute a failed bundle to artifacts. */
  claimed: readonly Subject[];
  /** The predicate type the statement claims, unverified: only to attribute a failed bundle to a chain stage. */
  claimedPredicateType?: string;
}

export interface Attempt {
  source: string;
  signer: string | undefined;
  /** github-hosted or self-hosted, from the certificate (a verified bundle's only). */
  runnerEnvironment: string | undefined;
  /** A verified bundle's certificate: Build Signer URI and Digest, Source Repository URI (what Build L3 rests on). */
  buildSignerURI?: string;
  buildSignerDigest?: string;
  sourceRepositoryURI?: string;
  /** sha256 hex of the signed statement (a verified bundle's only): what a summary attestation cites. */
  attestation?: string;
  /** The verified statement's predicate type (undefined for a bundle that was not verified, or signs no statement). */
  predicateType: string | undefined;
  /** A verified bundle's log entry and the run that signed it (the certificate's Run Invocation URI): links in the report. */
  logEntry?: { logIndex: string; logId: string };
  runInvocationURI?: string;
  failures: CheckFailure[];
  /** With a `cel` policy: each expression's result on this bundle. */
  content?: ContentResult[];
}

export interface ArtifactVerdict {
  artifact: Subject;
  passed: boolean;
  attempts: Attempt[];
}

/** The certificate facts a summary attestation's build level rests on (vsa.ts), those it has. */
export function signerFacts(
  cert: CertificateFacts | undefined,
): Pick<Attempt, 'buildSignerURI' | 'buildSignerDigest' | 'sourceRepositoryURI'> {
  return {
    ...(cert?.buildSignerURI !== undefined && { buildSignerURI: cert.buildSignerURI }),
    ...(cert?.buildSignerDigest !== undefined && { buildSignerDigest: cert.buildSignerDigest }),
    ...(cert?.sourceRepositoryURI !== undefined && { sourceRepositoryURI: cert.sourceRepositoryURI }),
  };
}

function covers(bundle: VerifiedBundle, artifact: Subject): boolean {
  if (bundle.statement)
    return subjectIndex(bundle)(artifact.digest).some((i) =>
      sameArtifact(bundle.statement?.subject[i]?.digest ?? {}, artifact.digest),
    );
  const message = bundle.messageDigest;
  return message !== undefined && sameArtifact(dataRecord([[message.algorithm, message.hex]]), artifact.digest);
}

// A statement lists up to 1,024 subjects and covers as many artifacts: its subjects are indexed
// once, not searched once per artifact (100,000 artifacts against 98 such statements would be
// 50 million comparisons).
const subjectIndexes = new WeakMap<VerifiedBundle, (digest: Record<string, string>) => number[]>();

function subjectIndex(bundle: VerifiedBundle): (digest: Record<string, string>) => number[] {
  let index = subjectIndexes.get(bundle);
  if (!index) {
    index = digestIndex((bundle.statement?.subject ?? []).map((s) => [s.digest]));
    subjectIndexes.set(bundle, index);
  }
  return index;
}

// The digests a bundle is matched by: its verified statement's subjects (or signed message
// digest), else the subjects it claims.
function outcomeDigests(outcome: BundleOutcome): Record<string, string>[] {
  const { verified } = outcome;
  if (!verified) return outcome.claimed.map((s) => s.digest);
  if (verified.statement) return verified.statement.subject.map((s) => s.digest);
  return verified.messageDigest ? [dataRecord([[verified.messageDigest.algorithm, verified.messageDigest.hex]])] : [];
}

// sameArtifact needs an algorithm on which both agree: items sharing none of these keys never match.
// (A claimed digest is unverified JSON: a value that is not a string is no key.)
const digestKeys = (digest: Record<string, string>): string[] =>
  Object.entries(digest).flatMap(([alg, hex]: [string, unknown]) =>
    typeof hex === 'string' ? [`${alg}\0${hex.toLowerCase()}`] : [],
  );

/**
 * Which items (by index, ascending) might match a digest, found through the keys they share with
 * it, so that n artifacts against n bundles cost n lookups rather than n² comparisons. Only a
 * prefilter: callers still decide each candidate with sameArtifact, in the original order.
 */
function digestIndex(items: readonly Record<string, string>[][]): (digest: Record<string, string>) => number[] {
  const index = new Map<string, number[]>();
  items.forEach((digests, i) => {
    for (const key of new Set(digests.flatMap(digestKeys))) {
      const list = index.get(key);
      if (list) list.push(i);
      else index.set(key, [i]);
    }
  });
  return (digest) => {
    const found = new Set<number>();
    for (const key of digestKeys(digest)) for (const i of index.get(key) ?? []) found.add(i);
    return [...found].sort((a, b) => a - b);
  };
}

const digestText = (d: Record<string, string>): string =>
  Object.entries(d)
    .map(([alg, hex]) => `${alg}:${hex}`)
    .join(' / ');

export function judgeArtifacts(
  artifacts: readonly Subject[],
  outcomes: readonly BundleOutcome[],
  policy: (bundle: VerifiedBundle) => CheckFailure[],
  content?: (bundle: VerifiedBundle) => ContentResult[],
): ArtifactVerdict[] {
  const candidates = digestIndex(outcomes.map(outcomeDigests));
  // A bundle's policy verdict depends on the bundle alone: judged once, however many artifacts it covers.
  const judged = new Map<VerifiedBundle, CheckFailure[]>();
  const policyOf = (bundle: VerifiedBundle): CheckFailure[] => {
    let failures = judged.get(bundle);
    if (!failures) {
      failures = policy(bundle);
      judged.set(bundle, failures);
    }
    return failures;
  };
  const namesakes = namesakeFinder(outcomes);
  return artifacts.map((artifact) => {
    const attempts: Attempt[] = [];
    for (const i of candidates(artifact.digest)) {
      const outcome = outcomes[i];
      if (!outcome) continue;
      const { verified } = outcome;
      if (verified) {
        if (!covers(verified, artifact)) continue;
        attempts.push({
          source: outcome.source,
          signer: verified.certificate?.subjectAlternativeName,
          runnerEnvironment: verified.certificate?.runnerEnvironment,
          predicateType: verified.statement?.predicateType,
          ...signerFacts(verified.certificate),
          ...(verified.statementDigest !== undefined && { attestation: verified.statementDigest }),
          ...(verified.logEntry !== undefined && { logEntry: verified.logEntry }),
          ...(verified.certificate?.runInvocationURI !== undefined && {
            runInvocationURI: verified.certificate.runInvocationURI,
          }),
          failures: policyOf(verified),
          ...(content !== undefined && { content: content(verified) }),
        });
      } else if (outcome.claimed.some((s) => sameArtifact(s.digest, artifact.digest))) {
        // Fail closed: a bundle that was not verified never passes, even if no reason was recorded.
        const failure = outcome.failure ?? {
          check: 'bundle-format',
          expected: 'a bundle that passed the cryptographic checks',
          found: 'a bundle that was not verified',
        };
        attempts.push({
          source: outcome.source,
          signer: undefined,
          runnerEnvironment: undefined,
          predicateType: undefined,
          failures: [failure],
        });
      }
    }
    if (attempts.length === 0) {
      const namesake = namesakes(artifact);
      attempts.push({
        source: namesake?.source ?? '(no bundle)',
        signer: undefined,
        runnerEnvironment: undefined,
        predicateType: undefined,
        failures: [
          namesake === undefined
            ? {
                check: 'subject-digest',
                expected: `a bundle whose statement lists ${digestText(artifact.digest)}`,
                found: outcomes.length === 0 ? 'no bundles' : `none of the ${outcomes.length} bundle(s) read lists it`,
              }
            : {
                check: 'artifact-changed',
                expected: `a bundle whose statement lists ${artifact.name} with ${digestText(artifact.digest)}`,
                found: `${namesake.source} attests ${namesake.name} with ${digestText(namesake.digest)}${namesake.verified ? '' : ' (a bundle that was not verified)'}`,
              },
        ],
      });
    }
    return { artifact, passed: attempts.some((a) => a.failures.length === 0), attempts };
  });
}

interface Namesake {
  source: string;
  name: string;
  digest: Record<string, string>;
  verified: boolean;
}

/**
 * For an artifact no bundle covers: a bundle that lists a subject of the same name (or, for a
 * path, the same file name) with another digest. That is a file changed after it was signed (or
 * another build of it), which wants another fix than a file never attested. Verified bundles are
 * preferred; a claim is still worth naming, marked as unverified. Indexed once, by name, and
 * only when some artifact needs it.
 */
function namesakeFinder(outcomes: readonly BundleOutcome[]): (artifact: Subject) => Namesake | undefined {
  let index: Map<string, Namesake> | undefined;
  const build = (): Map<string, Namesake> => {
    const found = new Map<string, Namesake>();
    // Verified bundles first: a name they list is never replaced by a mere claim.
    const ordered = [...outcomes.filter((o) => o.verified), ...outcomes.filter((o) => !o.verified)];
    for (const o of ordered) {
      const subjects = o.verified ? (o.verified.statement?.subject ?? []) : o.claimed;
      for (const s of subjects) {
        if (typeof s.name !== 'string' || s.name === '') continue;
        const entry = { source: o.source, name: s.name, digest: s.digest, verified: o.verified !== undefined };
        for (const key of new Set([s.name, baseName(s.name)])) if (!found.has(key)) found.set(key, entry);
      }
    }
    return found;
  };
  return (artifact) => {
    if (artifact.name === '') return undefined;
    index ??= build();
    const hit = index.get(artifact.name) ?? index.get(baseName(artifact.name));
    // The same digest would have covered the artifact; a namesake must differ to mean "changed".
    return hit !== undefined && !sameArtifact(hit.digest, artifact.digest) ? hit : undefined;
  };
}

const baseName = (name: string): string => name.slice(name.lastIndexOf('/') + 1);

/** Bundles that cover no artifact at all: worth a line in the report, never a pass. */
export function unusedBundles(artifacts: readonly Subject[], outcomes: readonly BundleOutcome[]): BundleOutcome[] {
  const candidates = digestIndex(artifacts.map((a) => [a.digest]));
  return outcomes.filter((o) => {
    const subjects = o.verified?.statement?.subject ?? o.claimed;
    return !subjects.some((s) => candidates(s.digest).some((i) => sameArtifact(s.digest, artifacts[i]?.digest ?? {})));
  });
}
