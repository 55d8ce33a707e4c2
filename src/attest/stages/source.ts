// The source stage: a SLSA 1.2 Source VSA (https://slsa.dev/verification_summary/v1) for the commit
// the job runs on, its level taken from what GitHub reports about the branch and the pull request
// that merged the commit (src/github/source-controls.ts reads them). Pure: the reads, the verified
// token's claims and the time come in.
//
// The statement's subject is the revision: digest {gitCommit: sha} with annotations.source_refs (the
// token's ref, and the branch when that differs), as the spec's "verifying source" page has
// verifiers compare. The predicate uses the VSA's own fields (verifier.id, timeVerified,
// resourceUri, policy.uri, verificationResult, verifiedLevels); verifiedLevels holds the one highest
// source level, as the VSA spec asks (each level implies those below). What was read, the controls
// found, the pull request and its approvers, and the reason for every level not given go into the
// extension field SOURCE_CONTROLS_FIELD, so a verifier sees why.
//
// Levels (SLSA 1.2 source track), each one requiring the one below:
// - L1 (version controlled): a git commit on GitHub: always.
// - L2 (history): continuity on the branch, i.e. force pushes and deletion blocked, by a ruleset
//   (non_fast_forward, deletion) or classic protection (allow_force_pushes, allow_deletions off).
// - L3 (continuous technical controls): those controls and at least one required status check are
//   enforced with nobody able to bypass them: every ruleset that enforces one read with an empty
//   bypass list, or classic protection with enforce_admins. A bypass list that could not be read
//   leaves the level at 2, with the reason.
// - L4 (two-party review): pull requests with at least one approving review are required without
//   bypass, and the pull request that merged exactly this commit has an APPROVED review from
//   someone other than its author.
// A read GitHub refused (403/404) counts as "not shown": the level drops and the reason names the
// request and the permission. The job's token can always read rules; classic protection needs
// administration: read, which GITHUB_TOKEN cannot be given, so with it only rulesets count.

import { SOURCE_CONTROLS_FIELD, VSA_V1 } from '../../stages/presets.ts';
import { GIT_COMMIT } from '../../stages/source-vsa.ts';
import { SOURCE_READS, type Read, type SourceControlReads } from '../../github/index.ts';
import { untrusted } from '../../output/untrusted.ts';
import type { StagePredicate } from './stage.types.ts';

export const SOURCE_LEVEL = (n: number): string => `SLSA_SOURCE_LEVEL_${n}`;
/** Where the level mapping above is documented: the VSA's policy.uri. */
export const SOURCE_POLICY_URI = 'https://provenance-action.github.io/docs/chains#source-levels';

export interface SourceContext {
  now: Date;
  serverURL: string;
  repository: string; // owner/repo, from the verified token
  ref: string;
  sha: string;
  /** The job that read GitHub and signs the VSA: serverURL/job_workflow_ref. */
  verifierId: string;
}

export interface SourceSubject {
  name: string;
  digest: Record<string, string>;
  annotations: { source_refs: string[] };
}

export interface SourceAttestation extends StagePredicate {
  subject: SourceSubject;
  level: number;
}

interface Control {
  /** Enforced by some ruleset or classic protection. */
  on: boolean;
  /** Enforced by a source nobody can bypass. */
  noBypass: boolean;
  by: string[]; // e.g. "ruleset 42", "classic protection"
}

const none = (): Control => ({ on: false, noBypass: false, by: [] });

export function sourcePredicate(reads: SourceControlReads, ctx: SourceContext): SourceAttestation {
  const reasons: string[] = [];
  const refusals = [reads.rules, ...reads.rulesets, reads.protection, reads.pulls, reads.reviews].filter(
    (r): r is Read<unknown> & { ok: false } => r !== undefined && !r.ok,
  );
  const forcePush = none();
  const deletion = none();
  const checks = none();
  const reviews = none();
  let requiredApprovals = 0;
  const statusChecks = new Set<string>();
  const bypass: { source: string; actors: string[] | undefined }[] = [];

  if (reads.rules?.ok) {
    const bypassable = new Map<number, boolean>();
    for (const id of new Set(reads.rules.value.map((r) => r.rulesetId))) {
      if (id === undefined) continue;
      const set = reads.rulesets.find((s) => s.ok && s.value.id === id);
      const actors = set?.ok ? set.value.bypassActors : undefined;
      bypass.push({
        source: `ruleset ${id}`,
        actors: actors?.map((a) =>
          untrusted(`${a.actorType}${a.actorId === null ? '' : ` ${a.actorId}`} (${a.bypassMode})`),
        ),
      });
      bypassable.set(id, actors === undefined || actors.length > 0);
    }
    for (const rule of reads.rules.value) {
      const source = rule.rulesetId === undefined ? 'a ruleset' : `ruleset ${rule.rulesetId}`;
      const strict = rule.rulesetId !== undefined && bypassable.get(rule.rulesetId) === false;
      const mark = (c: Control): void => {
        c.on = true;
        c.noBypass ||= strict;
        if (!c.by.includes(source)) c.by.push(source);
      };
      if (rule.type === 'non_fast_forward') mark(forcePush);
      if (rule.type === 'deletion') mark(deletion);
      if (rule.type === 'required_status_checks' && (rule.requiredStatusChecks?.length ?? 0) > 0) {
        mark(checks);
        for (const c of rule.requiredStatusChecks ?? []) statusChecks.add(c);
      }
      if (rule.type === 'pull_request' && (rule.requiredApprovingReviewCount ?? 0) > 0) {
        mark(reviews);
        requiredApprovals = Math.max(requiredApprovals, rule.requiredApprovingReviewCount ?? 0);
      }
    }
  }
  const classic = reads.protection?.ok ? reads.protection.value : undefined;
  if (classic?.protected) {
    const strict = classic.enforceAdmins;
    bypass.push({ source: 'classic protection', actors: strict ? [] : ['repository administrators'] });
    const mark = (c: Control): void => {
      c.on = true;
      c.noBypass ||= strict;
      c.by.push('classic protection');
    };
    if (!classic.allowForcePushes) mark(forcePush);
    if (!classic.allowDeletions) mark(deletion);
    if ((classic.requiredStatusChecks?.length ?? 0) > 0) {
      mark(checks);
      for (const c of classic.requiredStatusChecks ?? []) statusChecks.add(c);
    }
    if ((classic.requiredApprovingReviewCount ?? 0) > 0) {
      mark(reviews);
      requiredApprovals = Math.max(requiredApprovals, classic.requiredApprovingReviewCount ?? 0);
    }
  }

  const merged = reads.pulls.ok ? reads.pulls.value[0] : undefined;
  const approvers = reads.reviews?.ok
    ? [
        ...new Set(
          reads.reviews.value
            .filter((r) => r.state === 'APPROVED' && r.reviewer !== undefined && r.reviewer !== merged?.author)
            .map((r) => r.reviewer ?? ''),
        ),
      ]
    : [];

  // Each level, in order; the first one missing stops the climb, with its reason. Reasons are
  // printed as warnings too, so what GitHub named (branch, actors) goes through untrusted().
  const branch = reads.branch === undefined ? undefined : untrusted(reads.branch);
  let level = 1;
  const refusedNote = refusals.length > 0 ? ` (GitHub refused: ${refusals.map(refusalText).join('; ')})` : '';
  if (branch === undefined) {
    reasons.push(
      `level 2 needs a protected branch: the ref ${ctx.ref} is not a branch, and no merged pull request names the branch this commit landed on${refusedNote}`,
    );
  } else if (!forcePush.on || !deletion.on) {
    const missing = [!forcePush.on && 'force pushes', !deletion.on && 'deletion'].filter(Boolean).join(' and ');
    reasons.push(
      `level 2 needs force pushes and deletion blocked on branch ${branch}: ${missing} ${missing.includes(' and ') ? 'are' : 'is'} not blocked by any rule GitHub showed${refusedNote}`,
    );
  } else {
    level = 2;
    if (!forcePush.noBypass || !deletion.noBypass || !checks.noBypass) {
      reasons.push(`level 3 needs ${l3Missing(forcePush, deletion, checks, bypass)}${refusedNote}`);
    } else {
      level = 3;
      if (!reviews.noBypass) {
        reasons.push(
          `level 4 needs pull requests with an approving review required on branch ${branch} with nobody able to bypass${reviews.on ? ' (the rule that requires them can be bypassed)' : ''}${refusedNote}`,
        );
      } else if (merged === undefined) {
        reasons.push(
          `level 4 needs the pull request that merged commit ${ctx.sha}: ${reads.pulls.ok ? 'GitHub lists none (pushed directly?)' : `not shown${refusedNote}`}`,
        );
      } else if (approvers.length === 0) {
        reasons.push(
          `level 4 needs an approving review of pull request #${merged.number} by someone other than its author${reads.reviews?.ok === false ? refusedNote : ''}`,
        );
      } else {
        level = 4;
      }
    }
  }

  const refs = [
    ctx.ref,
    ...(reads.branch !== undefined && `refs/heads/${reads.branch}` !== ctx.ref ? [`refs/heads/${reads.branch}`] : []),
  ];
  const warnings = [
    ...refusals.map(
      (r) => `source: ${refusalText(r)}; the level is given without what it would have shown (${permissionFor(r)})`,
    ),
    ...(level === 1 ? [`source: ${ctx.repository}@${ctx.sha} gets SLSA source level 1: ${reasons[0] ?? ''}`] : []),
  ];
  const controls = {
    level,
    branch: reads.branch ?? null,
    reads: [reads.pulls, reads.reviews, reads.rules, ...reads.rulesets, reads.protection]
      .filter((r) => r !== undefined)
      .map((r) => ({ ...r.record, result: r.ok ? 'read' : 'refused' })),
    controls: {
      forcePushBlocked: controlView(forcePush),
      deletionBlocked: controlView(deletion),
      requiredStatusChecks: { ...controlView(checks), contexts: [...statusChecks] },
      requiredReviews: { ...controlView(reviews), approvals: requiredApprovals },
      bypass: bypass.map((b) => ({ source: b.source, actors: b.actors ?? null })),
    },
    pullRequest:
      merged === undefined
        ? null
        : { number: merged.number, url: merged.url ?? null, author: merged.author ?? null, approvers },
    reasons,
  };
  return {
    predicateType: VSA_V1,
    predicate: {
      verifier: { id: ctx.verifierId },
      timeVerified: ctx.now.toISOString(),
      resourceUri: `git+${ctx.serverURL}/${ctx.repository}@${ctx.ref}`,
      policy: { uri: SOURCE_POLICY_URI },
      verificationResult: 'PASSED',
      verifiedLevels: [SOURCE_LEVEL(level)],
      [SOURCE_CONTROLS_FIELD]: controls,
    },
    subject: {
      name: `${ctx.serverURL}/${ctx.repository}/commit/${ctx.sha}`,
      digest: { [GIT_COMMIT]: ctx.sha.toLowerCase() },
      annotations: { source_refs: refs },
    },
    level,
    warnings,
  };
}

function l3Missing(
  forcePush: Control,
  deletion: Control,
  checks: Control,
  bypass: { source: string; actors: string[] | undefined }[],
): string {
  if (!checks.on) return 'at least one required status check on the branch, and none is required';
  const unread = bypass.filter((b) => b.actors === undefined).map((b) => b.source);
  if (unread.length > 0)
    return `to know who may bypass the branch's rules, and GitHub did not show the bypass list of ${unread.join(', ')} (it shows it only to a token that may edit the ruleset)`;
  const open = bypass.filter((b) => (b.actors?.length ?? 0) > 0);
  const weak = [
    !forcePush.noBypass && 'force-push',
    !deletion.noBypass && 'deletion',
    !checks.noBypass && 'status-check',
  ]
    .filter(Boolean)
    .join(', ');
  return `the ${weak} rules enforced with nobody able to bypass them, but ${open.map((b) => `${b.source} lets ${(b.actors ?? []).join(', ')} bypass`).join('; ') || 'they can be bypassed'}`;
}

function controlView(c: Control): { enforced: boolean; withoutBypass: boolean; by: string[] } {
  return { enforced: c.on, withoutBypass: c.noBypass, by: c.by };
}

function refusalText(r: { record: { request: string; status: number; message?: string } }): string {
  return `${r.record.request} answered HTTP ${r.record.status}${r.record.message === undefined ? '' : ` "${r.record.message}"`}`;
}

function permissionFor(r: { record: { request: string } }): string {
  const path = r.record.request;
  const intent = /\/rules\/branches\//.test(path)
    ? SOURCE_READS.rules
    : /\/rulesets\//.test(path)
      ? SOURCE_READS.ruleset
      : /\/protection$/.test(path)
        ? SOURCE_READS.protection
        : /\/reviews$/.test(path)
          ? SOURCE_READS.reviews
          : SOURCE_READS.pulls;
  return `needs ${intent.permission}`;
}
