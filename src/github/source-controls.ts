// What GitHub says about how a commit reached its branch, for the source stage (a SLSA Source VSA):
// the rules in force on the branch (rulesets, GET /repos/{o}/{r}/rules/branches/{branch}), the bypass
// list of each ruleset (GET /repos/{o}/{r}/rulesets/{id}), classic branch protection
// (GET /repos/{o}/{r}/branches/{branch}/protection), the pull request that merged the commit
// (GET /repos/{o}/{r}/commits/{sha}/pulls) and its reviews (GET /repos/{o}/{r}/pulls/{n}/reviews).
//
// Every read is recorded with its outcome. A refusal (403/404: a permission the token lacks, or a
// thing GitHub will not show) is an answer, not a failure: the source stage gives a lower level and
// says why. A token GitHub does not accept at all (401), or no answer (network, 5xx after retries,
// unusable JSON), throws: a broken setup or an outage never turns into a level. GitHub's JSON is parsed here into the few fields the levels
// rest on; the rest is not kept. Lists are read as one page of 100 (rules of a branch, pull requests
// of a commit, reviews of a pull request): what lies beyond can only make a level lower, never higher.

import { isObject, ownValue } from '../common/json.ts';
import type { Answer, RequestIntent } from './failure.ts';
import { gitHubMessage } from './failure.ts';
import type { GitHubClient } from './client.ts';
import { repoPath, type Repository } from './repository.ts';

/** What each endpoint needs of a token, per GitHub's REST docs (fine-grained permission names). */
export const SOURCE_READS = {
  rules: { permission: 'metadata: read' },
  ruleset: { permission: 'metadata: read (bypass_actors only with write access to the ruleset)' },
  protection: { permission: 'administration: read' },
  pulls: { permission: 'contents: read, pull-requests: read' },
  reviews: { permission: 'pull-requests: read' },
} as const satisfies Record<string, RequestIntent>;

/** One read as it went: the request, and what came back. */
export interface ReadRecord {
  request: string; // e.g. GET /repos/o/r/rules/branches/main
  status: number;
  /** GitHub's message on a refusal, made safe to print. */
  message?: string;
}

export type Read<T> = { ok: true; value: T; record: ReadRecord } | { ok: false; record: ReadRecord };

/** A rule in force on the branch, from a ruleset. */
export interface BranchRule {
  type: string; // non_fast_forward, deletion, pull_request, required_status_checks, …
  rulesetId: number | undefined;
  requiredApprovingReviewCount?: number; // pull_request
  requiredStatusChecks?: string[]; // required_status_checks: the contexts
}

export interface Ruleset {
  id: number;
  name: string;
  enforcement: string;
  /** undefined when GitHub did not include the list (it shows it only to those who may edit the ruleset). */
  bypassActors: { actorType: string; actorId: number | null; bypassMode: string }[] | undefined;
}

/** Classic branch protection, or `protected: false` when GitHub says the branch is not protected. */
export type ClassicProtection =
  | { protected: false }
  | {
      protected: true;
      allowForcePushes: boolean;
      allowDeletions: boolean;
      requiredApprovingReviewCount: number | undefined; // undefined: no required reviews
      requiredStatusChecks: string[] | undefined;
      enforceAdmins: boolean;
    };

export interface MergedPull {
  number: number;
  author: string | undefined;
  baseRef: string;
  url: string | undefined;
}

export interface Review {
  reviewer: string | undefined;
  state: string; // APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING
  commitId: string | undefined;
}

export interface SourceControlReads {
  /** The branch read (from the ref, or the base of the pull request that merged the commit). */
  branch: string | undefined;
  rules: Read<BranchRule[]> | undefined;
  rulesets: Read<Ruleset>[];
  protection: Read<ClassicProtection> | undefined;
  pulls: Read<MergedPull[]>;
  reviews: Read<Review[]> | undefined;
}

const BRANCH_REF = 'refs/heads/';

/**
 * Reads what GitHub reports for `sha` on `ref`. For a branch ref the branch is the ref; for any
 * other ref (a tag), the branch is the base of the pull request that merged exactly this commit,
 * when there is one.
 */
export async function readSourceControls(
  rest: GitHubClient,
  repo: Repository,
  ref: string,
  sha: string,
): Promise<SourceControlReads> {
  const pulls = await read(rest, repoPath(repo, 'commits', sha, 'pulls'), (json) => mergedPulls(json, sha));
  const merged = pulls.ok ? pulls.value[0] : undefined;
  const branch = ref.startsWith(BRANCH_REF) ? ref.slice(BRANCH_REF.length) : merged?.baseRef;
  const reviews =
    merged === undefined ? undefined : await read(rest, repoPath(repo, 'pulls', merged.number, 'reviews'), reviewList);
  if (branch === undefined) return { branch, rules: undefined, rulesets: [], protection: undefined, pulls, reviews };
  const rules = await read(rest, repoPath(repo, 'rules', 'branches', branch), branchRules);
  const ids = rules.ok
    ? [...new Set(rules.value.flatMap((r) => (r.rulesetId === undefined ? [] : [r.rulesetId])))]
    : [];
  const rulesets: Read<Ruleset>[] = [];
  for (const id of ids) rulesets.push(await read(rest, repoPath(repo, 'rulesets', id), ruleset));
  const protection = await read<ClassicProtection>(
    rest,
    repoPath(repo, 'branches', branch, 'protection'),
    classicProtection,
    (answer) =>
      // GitHub answers 404 "Branch not protected" for a branch without classic protection.
      answer.status === 404 && /not protected/i.test(gitHubMessage(answer.data) ?? '')
        ? { protected: false }
        : undefined,
  );
  return { branch, rules, rulesets, protection, pulls, reviews };
}

/** One GET: parsed on 200, recorded as refused on 403/404 (or answered by `absent`), thrown otherwise. */
async function read<T>(
  rest: GitHubClient,
  url: string,
  parse: (json: unknown) => T | undefined,
  absent?: (answer: Answer) => T | undefined,
): Promise<Read<T>> {
  const answer = await rest.send({ method: 'GET', url, query: { per_page: 100 } });
  const record: ReadRecord = { request: `GET ${new URL(answer.url).pathname}`, status: answer.status };
  if (answer.status === 200) {
    const value = parse(rest.parse(answer));
    if (value === undefined) throw rest.unusable(answer, 'JSON without the fields GitHub documents');
    return { ok: true, value, record };
  }
  const instead = absent?.(answer);
  if (instead !== undefined) return { ok: true, value: instead, record };
  if (answer.status === 403 || answer.status === 404) {
    const message = gitHubMessage(answer.data);
    return { ok: false, record: message === undefined ? record : { ...record, message } };
  }
  throw rest.refusal(answer, { permission: 'contents: read, pull-requests: read' });
}

const str = (o: object, k: string): string | undefined => {
  const v = ownValue(o, k);
  return typeof v === 'string' ? v : undefined;
};
const num = (o: object, k: string): number | undefined => {
  const v = ownValue(o, k);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
};
const enabled = (o: object, k: string): boolean => {
  const v = ownValue(o, k);
  return isObject(v) && ownValue(v, 'enabled') === true;
};

function branchRules(json: unknown): BranchRule[] | undefined {
  if (!Array.isArray(json)) return undefined;
  const rules: BranchRule[] = [];
  for (const item of json as unknown[]) {
    if (!isObject(item)) return undefined;
    const type = str(item, 'type');
    if (type === undefined) return undefined;
    const parameters = ownValue(item, 'parameters');
    const rule: BranchRule = { type, rulesetId: num(item, 'ruleset_id') };
    if (isObject(parameters)) {
      const count = num(parameters, 'required_approving_review_count');
      if (type === 'pull_request' && count !== undefined) rule.requiredApprovingReviewCount = count;
      const checks = ownValue(parameters, 'required_status_checks');
      if (type === 'required_status_checks' && Array.isArray(checks))
        rule.requiredStatusChecks = (checks as unknown[]).flatMap((c) => {
          const context = isObject(c) ? str(c, 'context') : undefined;
          return context === undefined ? [] : [context];
        });
    }
    rules.push(rule);
  }
  return rules;
}

function ruleset(json: unknown): Ruleset | undefined {
  if (!isObject(json)) return undefined;
  const id = num(json, 'id');
  if (id === undefined) return undefined;
  const actors = ownValue(json, 'bypass_actors');
  return {
    id,
    name: str(json, 'name') ?? '',
    enforcement: str(json, 'enforcement') ?? '',
    bypassActors: Array.isArray(actors)
      ? (actors as unknown[]).filter(isObject).map((a) => {
          const actorId = ownValue(a, 'actor_id');
          return {
            actorType: str(a, 'actor_type') ?? '',
            actorId: typeof actorId === 'number' ? actorId : null,
            bypassMode: str(a, 'bypass_mode') ?? '',
          };
        })
      : undefined,
  };
}

function classicProtection(json: unknown): ClassicProtection | undefined {
  if (!isObject(json)) return undefined;
  const reviews = ownValue(json, 'required_pull_request_reviews');
  const checks = ownValue(json, 'required_status_checks');
  const contexts = isObject(checks) ? ownValue(checks, 'contexts') : undefined;
  return {
    protected: true,
    allowForcePushes: enabled(json, 'allow_force_pushes'),
    allowDeletions: enabled(json, 'allow_deletions'),
    // Required reviews with no count set still require one approval (GitHub's default).
    requiredApprovingReviewCount: isObject(reviews)
      ? (num(reviews, 'required_approving_review_count') ?? 1)
      : undefined,
    requiredStatusChecks: isObject(checks)
      ? Array.isArray(contexts)
        ? (contexts as unknown[]).filter((c): c is string => typeof c === 'string')
        : []
      : undefined,
    enforceAdmins: enabled(json, 'enforce_admins'),
  };
}

/** The pull requests that merged exactly this commit (an open PR that merely contains it does not count). */
function mergedPulls(json: unknown, sha: string): MergedPull[] | undefined {
  if (!Array.isArray(json)) return undefined;
  return (json as unknown[]).filter(isObject).flatMap((pr) => {
    const number = num(pr, 'number');
    const base = ownValue(pr, 'base');
    const baseRef = isObject(base) ? str(base, 'ref') : undefined;
    const user = ownValue(pr, 'user');
    if (number === undefined || baseRef === undefined) return [];
    if (typeof ownValue(pr, 'merged_at') !== 'string' || str(pr, 'merge_commit_sha') !== sha) return [];
    return [{ number, author: isObject(user) ? str(user, 'login') : undefined, baseRef, url: str(pr, 'html_url') }];
  });
}

function reviewList(json: unknown): Review[] | undefined {
  if (!Array.isArray(json)) return undefined;
  return (json as unknown[]).filter(isObject).map((r) => {
    const user = ownValue(r, 'user');
    return {
      reviewer: isObject(user) ? str(user, 'login') : undefined,
      state: str(r, 'state') ?? '',
      commitId: str(r, 'commit_id'),
    };
  });
}
