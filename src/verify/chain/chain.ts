// Judging each artifact's release chain (require-chain). A stage passes for an artifact when an
// attestation of one of its predicate types covers the artifact, passed every cryptographic
// check, passes the stage's policy, says in its own document that the stage passed
// (stage-result.ts), and links by digest (src/stages/links.ts) to an attestation
// that passed the stage before, and (with `cel=`) whose content policy holds over its statement and
// the earlier stages' attestations in the chain. The search keeps every passing attestation of each stage, so a
// re-signed duplicate or an extra attestation never hides a valid chain, and an attestation that
// links to a stranger never completes one.
//
// The source stage is joined by commit instead (src/stages/source-vsa.ts): its attestation is a
// Source VSA about a revision, so it passes for an artifact when a passing one is for a commit that
// a verified build provenance of the artifact names, and the provenance stage right after it passes
// only with a provenance naming such a commit. Source VSAs take no other stage (a policy VSA about
// the artifact never stands for the source stage, nor a Source VSA for a policy stage). Pure: `now`
// is passed in.

import { linkedDigests } from '../../stages/links.ts';
import { buildCommits, isSourceVSA, subjectCommits } from '../../stages/source-vsa.ts';
import type { Subject } from '../../subjects/index.ts';
import { signerFacts, type BundleOutcome } from '../judge.ts';
import { sameArtifact } from '../../subjects/claimed.ts';
import { evaluatePolicy } from '../policy/evaluate.ts';
import { contentBindings, contentFailures, evaluateContent, type StageContent } from '../policy/cel/evaluate.ts';
import type { ContentResult } from '../policy/cel/types.ts';
import type { CheckFailure, VerifiedBundle } from '../types.ts';
import { stageResultFailures } from './stage-result.ts';
import { provenanceCommit } from './commit.ts';
import type { ChainAttestation, ChainStageSpec, ChainVerdict, StageResult } from './types.ts';

interface Candidate {
  outcome: BundleOutcome;
  verified: VerifiedBundle | undefined;
  predicateType: string;
  failures: CheckFailure[];
}

/** A bundle's policy verdict per stage, and its links: computed once however many artifacts it covers. */
interface Memo {
  policy: Map<ChainStageSpec, Map<BundleOutcome, CheckFailure[]>>;
  links: Map<BundleOutcome, Set<string>>;
  /** Content results per stage and bundle, by the earlier attestations they saw (many artifacts share a chain). */
  content: Map<ChainStageSpec, Map<BundleOutcome, Map<string, ContentResult[]>>>;
}

export function judgeChains(
  artifacts: readonly Subject[],
  outcomes: readonly BundleOutcome[],
  stages: readonly ChainStageSpec[],
  now: Date,
): ChainVerdict[] {
  const memo: Memo = {
    policy: new Map(stages.map((s) => [s, new Map<BundleOutcome, CheckFailure[]>()])),
    links: new Map(),
    content: new Map(stages.map((s) => [s, new Map<BundleOutcome, Map<string, ContentResult[]>>()])),
  };
  return artifacts.map((artifact) => judgeChain(artifact, outcomes, stages, now, memo));
}

function judgeChain(
  artifact: Subject,
  outcomes: readonly BundleOutcome[],
  stages: readonly ChainStageSpec[],
  now: Date,
  memo: Memo,
): ChainVerdict {
  const linksOf = (c: Candidate): Set<string> => {
    let links = memo.links.get(c.outcome);
    if (links === undefined) memo.links.set(c.outcome, (links = linkedDigests(c.verified?.statement?.predicate ?? {})));
    return links;
  };
  const results: StageResult[] = [];
  // Statement digests of the attestations that completed the chain up to the previous stage; after
  // a source stage, the commits of its passing Source VSAs instead (`byCommit`).
  let previous: Set<string> | undefined;
  let byCommit = false;
  // The commit named by the first passing build provenance, for the chart's first node.
  let commit: string | undefined;
  // The earlier stages that passed, with the attestation shown for each: what `stages.LABEL` reads.
  const earlier: StageContent[] = [];
  stages.forEach((stage, index) => {
    const number = index + 1;
    const name = `stage ${number} "${stage.label}"`;
    const judged = memo.policy.get(stage) ?? new Map<BundleOutcome, CheckFailure[]>();
    if (stage.joinsByCommit === true) {
      const joined = judgeSourceStage(artifact, outcomes, stage, stages[index + 1], name, now, judged, earlier, memo);
      results.push(joined.result);
      if (joined.passed) earlier.push(joined.passed);
      previous = joined.commits;
      byCommit = true;
      return;
    }
    const candidates = candidatesFor(artifact, outcomes, stage, now, judged);
    const passing = candidates.filter((c) => c.failures.length === 0 && c.verified?.statementDigest !== undefined);
    const joinsOf = (c: Candidate): Set<string> => (byCommit ? new Set(commitsOf(c)) : linksOf(c));
    const linked =
      previous === undefined ? passing : passing.filter((c) => intersects(joinsOf(c), previous ?? new Set()));
    // The content policy runs on the linked attestations only: `stages` is this chain's, so far.
    const { content, accepted } = judgeContent(stage, linked, earlier, memo);
    const shown = accepted[0] ?? linked[0] ?? passing[0] ?? candidates[0];
    const shownContent = shown && content.get(shown);
    const built = linked[0] ?? passing[0];
    if (commit === undefined && built?.verified?.statement !== undefined)
      commit = provenanceCommit(built.verified.statement);
    const result = stageResult(stage, shown, shownContent);

    const before = stages[index - 1];
    if (candidates.length === 0) {
      results.push(
        result('missing', [
          {
            check: 'chain-stage',
            expected: `${name}: an attestation of ${stage.predicateTypes.join(' or ')} for ${artifact.name}`,
            found: `none among the ${outcomes.length} bundle(s) read`,
          },
        ]),
      );
    } else if (passing.length === 0) {
      // Every candidate's failures, so replacing one bundle with a forged copy names the check it broke.
      results.push(result('rejected', candidateFailures(name, candidates)));
    } else if (previous !== undefined && previous.size === 0 && before !== undefined) {
      results.push(
        result('unreached', [
          {
            check: 'chain-link',
            expected: `${name} to build on a passing stage ${number - 1} "${before.label}"`,
            found: `stage ${number - 1} failed, so there is nothing to link to`,
          },
        ]),
      );
    } else if (linked.length === 0 && before !== undefined && byCommit) {
      const named = [...new Set(passing.flatMap(commitsOf))];
      results.push(
        result('unlinked', [
          {
            check: 'chain-commit',
            expected: `${name} to name a commit with a passing Source VSA (stage ${number - 1} "${before.label}"): ${commitList([...(previous ?? [])])}`,
            found:
              named.length === 0
                ? `${passing[0]?.outcome.source ?? 'its attestation'} names no source commit`
                : `names commit ${commitList(named)}`,
          },
        ]),
      );
    } else if (linked.length === 0 && before !== undefined) {
      const links = [...new Set(passing.flatMap((c) => [...linksOf(c)]))];
      results.push(
        result('unlinked', [
          {
            check: 'chain-link',
            expected: `${name} to link to stage ${number - 1} "${before.label}": ${shortList([...(previous ?? [])])}`,
            found:
              links.length === 0
                ? `${passing[0]?.outcome.source ?? 'its attestation'} links to no attestation`
                : `links to ${shortList(links)}`,
          },
        ]),
      );
    } else if (accepted.length === 0) {
      results.push(result('rejected', contentRejections(name, linked, content)));
    } else {
      results.push(result('pass', []));
      const passed = passedContent(stage, shown);
      if (passed) earlier.push(passed);
    }
    previous = new Set(accepted.map((c) => c.verified?.statementDigest ?? ''));
    byCommit = false;
  });
  return {
    artifact: { name: artifact.name, digest: { ...artifact.digest } },
    passed: results.every((r) => r.status === 'pass'),
    stages: results,
    ...(commit !== undefined && { commit }),
  };
}

/**
 * The bundles that claim this stage for this artifact: verified ones judged by the stage's policy
 * and by what their own document says of the stage, the others by why they failed.
 */
function candidatesFor(
  artifact: Subject,
  outcomes: readonly BundleOutcome[],
  stage: ChainStageSpec,
  now: Date,
  judged: Map<BundleOutcome, CheckFailure[]>,
): Candidate[] {
  const candidates: Candidate[] = [];
  for (const outcome of outcomes) {
    const { verified } = outcome;
    if (verified) {
      const statement = verified.statement;
      if (!statement || !stage.predicateTypes.includes(statement.predicateType)) continue;
      if (isSourceVSA(statement.predicateType, statement.subject)) continue; // a commit's, not the artifact's
      if (!statement.subject.some((s) => sameArtifact(s.digest, artifact.digest))) continue;
      let failures = judged.get(outcome);
      if (failures === undefined) {
        failures = [
          ...evaluatePolicy({ ...stage.policy, predicateType: statement.predicateType }, verified, now),
          ...stageResultFailures(stage, statement, verified.certificate),
        ];
        judged.set(outcome, failures);
      }
      candidates.push({ outcome, verified, predicateType: statement.predicateType, failures });
    } else {
      // Unverified claims only attribute a failure to this stage; they can never pass it.
      const type = outcome.claimedPredicateType;
      if (type === undefined || !stage.predicateTypes.includes(type)) continue;
      if (isSourceVSA(type, outcome.claimed)) continue;
      if (!outcome.claimed.some((s) => sameArtifact(s.digest, artifact.digest))) continue;
      const failure = outcome.failure ?? {
        check: 'bundle-format',
        expected: 'a bundle that passed the cryptographic checks',
        found: 'a bundle that was not verified',
      };
      candidates.push({ outcome, verified: undefined, predicateType: type, failures: [failure] });
    }
  }
  return candidates;
}

/** The source commits a candidate's build provenance names. */
function commitsOf(c: Candidate): string[] {
  const statement = c.verified?.statement;
  return statement === undefined ? [] : buildCommits(statement.predicateType, statement.predicate);
}

/**
 * The source stage for one artifact: the commits its verified build provenance (of the next
 * stage's predicate types) names, and the Source VSAs for those commits, each judged by the
 * stage's policy and its own verificationResult. Returns the stage's result and the commits of
 * the passing Source VSAs, which the provenance stage must name.
 */
function judgeSourceStage(
  artifact: Subject,
  outcomes: readonly BundleOutcome[],
  stage: ChainStageSpec,
  next: ChainStageSpec | undefined,
  name: string,
  now: Date,
  judged: Map<BundleOutcome, CheckFailure[]>,
  earlier: readonly StageContent[],
  memo: Memo,
): { result: StageResult; commits: Set<string>; passed?: StageContent } {
  const built = new Set<string>();
  for (const outcome of outcomes) {
    const statement = outcome.verified?.statement;
    if (!statement || next === undefined || !next.predicateTypes.includes(statement.predicateType)) continue;
    if (!statement.subject.some((s) => sameArtifact(s.digest, artifact.digest))) continue;
    for (const commit of buildCommits(statement.predicateType, statement.predicate)) built.add(commit);
  }
  const all: { candidate: Candidate; commits: string[] }[] = [];
  for (const outcome of outcomes) {
    const { verified } = outcome;
    const statement = verified?.statement;
    if (verified && statement) {
      if (!stage.predicateTypes.includes(statement.predicateType)) continue;
      if (!isSourceVSA(statement.predicateType, statement.subject)) continue;
      let failures = judged.get(outcome);
      if (failures === undefined) {
        failures = [
          ...evaluatePolicy({ ...stage.policy, predicateType: statement.predicateType }, verified, now),
          ...stageResultFailures(stage, statement, verified.certificate),
        ];
        judged.set(outcome, failures);
      }
      all.push({
        candidate: { outcome, verified, predicateType: statement.predicateType, failures },
        commits: subjectCommits(statement.subject),
      });
    } else {
      const type = outcome.claimedPredicateType;
      if (type === undefined || !stage.predicateTypes.includes(type) || !isSourceVSA(type, outcome.claimed)) continue;
      const failure = outcome.failure ?? {
        check: 'bundle-format',
        expected: 'a bundle that passed the cryptographic checks',
        found: 'a bundle that was not verified',
      };
      all.push({
        candidate: { outcome, verified: undefined, predicateType: type, failures: [failure] },
        commits: subjectCommits(outcome.claimed),
      });
    }
  }
  const forBuild = all.filter((a) => a.commits.some((c) => built.has(c)));
  const passing = forBuild.filter((a) => a.candidate.failures.length === 0 && a.candidate.verified !== undefined);
  // The stage's content policy (cel=) over each passing Source VSA, as for every other stage.
  const contentVerdict = judgeContent(
    stage,
    passing.map((a) => a.candidate),
    earlier,
    memo,
  );
  const content = contentVerdict.content;
  const accepted = passing.filter((a) => contentVerdict.accepted.includes(a.candidate));
  const shown = accepted[0]?.candidate ?? passing[0]?.candidate ?? forBuild[0]?.candidate ?? all[0]?.candidate;
  const shownContent = shown && content.get(shown);
  const result = stageResult(stage, shown, shownContent);
  const commits = new Set(accepted.flatMap((a) => a.commits.filter((c) => built.has(c))));
  const wanted = `${name}: a Source VSA for the commit the build provenance of ${artifact.name} names`;
  if (all.length === 0) {
    return {
      result: result('missing', [
        {
          check: 'chain-stage',
          expected: `${wanted} (${commitList([...built])})`,
          found: `no Source VSA among the ${outcomes.length} bundle(s) read`,
        },
      ]),
      commits,
    };
  }
  if (forBuild.length === 0) {
    const other = [...new Set(all.flatMap((a) => a.commits))];
    return {
      result: result('unlinked', [
        {
          check: 'chain-commit',
          expected: built.size === 0 ? wanted : `${wanted}: ${commitList([...built])}`,
          found:
            built.size === 0
              ? `no verified build provenance of ${artifact.name} names a source commit`
              : `Source VSAs for ${commitList(other)} only`,
        },
      ]),
      commits,
    };
  }
  if (passing.length === 0) {
    const candidates = forBuild.map((a) => a.candidate);
    return { result: result('rejected', candidateFailures(name, candidates)), commits };
  }
  if (accepted.length === 0) {
    const candidates = passing.map((a) => a.candidate);
    return { result: result('rejected', contentRejections(name, candidates, content)), commits };
  }
  const passed = passedContent(stage, shown);
  return { result: result('pass', []), commits, ...(passed !== undefined && { passed }) };
}

/** A stage's result, showing `shown` (the attestation the chart and the report name) and its content verdict. */
function stageResult(
  stage: ChainStageSpec,
  shown: Candidate | undefined,
  shownContent: ContentResult[] | undefined,
): (status: StageResult['status'], failures: CheckFailure[]) => StageResult {
  return (status, failures) => ({
    label: stage.label,
    title: stage.title,
    status,
    attestation: shown && attestationOf(shown),
    failures,
    ...(shownContent !== undefined && { content: shownContent }),
  });
}

/** Every candidate's failures, each named by stage and bundle, so a forged copy names the check it broke. */
function candidateFailures(name: string, candidates: readonly Candidate[]): CheckFailure[] {
  return candidates.flatMap((c) =>
    c.failures.map((f) => ({ ...f, expected: `${name} (${c.outcome.source}): ${f.expected}` })),
  );
}

/** The cel= expressions that did not hold, for each candidate that otherwise passed. */
function contentRejections(
  name: string,
  candidates: readonly Candidate[],
  content: ReadonlyMap<Candidate, ContentResult[]>,
): CheckFailure[] {
  return candidates.flatMap((c) => contentFailures(content.get(c) ?? [], `${name} (${c.outcome.source})`));
}

/** What later stages' cel= read of a passing stage (`stages.LABEL`): the attestation shown for it. */
function passedContent(stage: ChainStageSpec, shown: Candidate | undefined): StageContent | undefined {
  const statement = shown?.verified?.statement;
  return statement === undefined
    ? undefined
    : { label: stage.label, statement, digest: shown?.verified?.statementDigest ?? '' };
}

/**
 * The stage's content policy (cel=) over `candidates`: each one's results, and those whose every
 * expression held (all of them when the stage has none). Results are kept per bundle and per the
 * earlier attestations they saw, since many artifacts share one chain.
 */
function judgeContent(
  stage: ChainStageSpec,
  candidates: readonly Candidate[],
  earlier: readonly StageContent[],
  memo: Memo,
): { content: Map<Candidate, ContentResult[]>; accepted: readonly Candidate[] } {
  const content = new Map<Candidate, ContentResult[]>();
  const cel = stage.policy.cel ?? [];
  if (cel.length === 0) return { content, accepted: candidates };
  const seen = earlier.map((e) => e.digest).join(' ');
  const byBundle = memo.content.get(stage) ?? new Map<BundleOutcome, Map<string, ContentResult[]>>();
  for (const c of candidates) {
    const statement = c.verified?.statement;
    if (!statement) continue;
    const bySeen = byBundle.get(c.outcome) ?? new Map<string, ContentResult[]>();
    byBundle.set(c.outcome, bySeen);
    const results =
      bySeen.get(seen) ?? evaluateContent(cel, contentBindings(statement, c.verified?.certificate, earlier));
    bySeen.set(seen, results);
    content.set(c, results);
  }
  return { content, accepted: candidates.filter((c) => content.get(c)?.every((r) => r.result === true)) };
}

function commitList(commits: readonly string[]): string {
  const shown = commits.slice(0, 3).map((c) => `gitCommit:${c}`);
  return commits.length > 3 ? `${shown.join(', ')} and ${commits.length - 3} more` : shown.join(', ') || 'none';
}

function attestationOf(c: Candidate): ChainAttestation {
  return {
    source: c.outcome.source,
    digest: c.verified?.statementDigest === undefined ? '' : `sha256:${c.verified.statementDigest}`,
    predicateType: c.predicateType,
    signer: c.verified?.certificate?.subjectAlternativeName,
    ...(c.verified?.certificate?.runnerEnvironment !== undefined && {
      runnerEnvironment: c.verified.certificate.runnerEnvironment,
    }),
    ...signerFacts(c.verified?.certificate),
  };
}

function intersects(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const x of a) if (b.has(x)) return true;
  return false;
}

function shortList(digests: readonly string[]): string {
  const shown = digests.slice(0, 3).map((d) => `sha256:${d}`);
  return digests.length > 3 ? `${shown.join(', ')} and ${digests.length - 3} more` : shown.join(', ') || 'nothing';
}
