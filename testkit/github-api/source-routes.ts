// The source stage's endpoints in the GitHub stand-in: the rules in force on a branch, a ruleset (with
// or without its bypass list), classic branch protection, the pull requests of a commit and a pull
// request's reviews. Shaped by GitHub's REST docs (docs.github.com/rest/repos/rules, /rest/branches/
// branch-protection, /rest/commits/commits#list-pull-requests-associated-with-a-commit,
// /rest/pulls/reviews), with only the fields a client could rely on. A test sets the model (a branch
// protected or not, by which rules, who may bypass, pull requests and reviews) and may make any of
// these endpoints refuse with 403, as GitHub does for a token without the permission.

import { errorBody, type Endpoint } from './faults.ts';
import { sendJSON, REPO, type Call, type Route } from './call.ts';

export interface BypassActor {
  actor_id: number | null;
  actor_type: string; // RepositoryRole, Team, Integration, OrganizationAdmin, DeployKey
  bypass_mode: 'always' | 'pull_request';
}

/** One ruleset on a branch; its rules are rendered as GET rules/branches/{branch} renders them. */
export interface RulesetSetup {
  id: number;
  name?: string;
  nonFastForward?: boolean;
  deletion?: boolean;
  /** pull_request rule with this required_approving_review_count. */
  approvals?: number;
  statusChecks?: string[];
  /** undefined: GitHub leaves bypass_actors out (a token that may not edit the ruleset). */
  bypassActors?: BypassActor[];
}

export interface ClassicSetup {
  allowForcePushes?: boolean;
  allowDeletions?: boolean;
  approvals?: number; // required_pull_request_reviews present with this count
  statusChecks?: string[];
  enforceAdmins?: boolean;
}

export interface PullSetup {
  number: number;
  author: string;
  base: string; // branch name
  mergeCommitSha: string | null; // null: not merged
  reviews: { reviewer: string; state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' }[];
}

export class SourceModel {
  readonly rulesets = new Map<string, RulesetSetup[]>(); // owner/repo#branch → rulesets
  readonly classic = new Map<string, ClassicSetup>(); // owner/repo#branch → protection
  readonly pulls = new Map<string, PullSetup[]>(); // owner/repo → pull requests
  /** Endpoints that answer 403 "Resource not accessible by integration". */
  readonly refused = new Set<Endpoint>();
}

export const SOURCE_ENDPOINTS = [
  'branch-rules',
  'get-ruleset',
  'branch-protection',
  'commit-pulls',
  'pull-reviews',
] as const satisfies readonly Endpoint[];

const key = (repo: string, branch: string): string => `${repo.toLowerCase()}#${branch}`;

export function sourceRoutes(source: SourceModel): Route[] {
  const refused = (call: Call, endpoint: Endpoint): boolean => {
    if (!source.refused.has(endpoint)) return false;
    sendJSON(call, 403, errorBody(403, 'Resource not accessible by integration'));
    return true;
  };
  const route = (pattern: string, endpoint: Endpoint, handle: (call: Call, params: string[]) => void): Route => ({
    method: 'GET',
    pattern: new RegExp(`^/repos/${REPO}/${pattern}$`),
    endpoint,
    needsToken: true,
    inRepository: true,
    handle: (call) => {
      if (!refused(call, endpoint))
        handle(
          call,
          call.params.map((p) => decodeURIComponent(p)),
        );
    },
  });
  return [
    route('rules/branches/(.+)', 'branch-rules', (call, [repo = '', branch = '']) => {
      // All active rules for the branch, each naming its ruleset (docs: "Get rules for a branch").
      const rules = (source.rulesets.get(key(repo, branch)) ?? []).flatMap((set) => {
        const common = { ruleset_source_type: 'Repository', ruleset_source: repo, ruleset_id: set.id };
        return [
          ...(set.nonFastForward ? [{ type: 'non_fast_forward', ...common }] : []),
          ...(set.deletion ? [{ type: 'deletion', ...common }] : []),
          ...(set.approvals === undefined
            ? []
            : [
                {
                  type: 'pull_request',
                  ...common,
                  parameters: {
                    required_approving_review_count: set.approvals,
                    dismiss_stale_reviews_on_push: false,
                    require_code_owner_review: false,
                    require_last_push_approval: false,
                    required_review_thread_resolution: false,
                  },
                },
              ]),
          ...(set.statusChecks === undefined
            ? []
            : [
                {
                  type: 'required_status_checks',
                  ...common,
                  parameters: {
                    strict_required_status_checks_policy: false,
                    required_status_checks: set.statusChecks.map((context) => ({ context })),
                  },
                },
              ]),
        ];
      });
      sendJSON(call, 200, rules);
    }),
    route('rulesets/(\\d+)', 'get-ruleset', (call, [repo = '', id = '']) => {
      const set = [...source.rulesets.entries()]
        .filter(([k]) => k.startsWith(`${repo.toLowerCase()}#`))
        .flatMap(([, sets]) => sets)
        .find((s) => String(s.id) === id);
      if (set === undefined) return sendJSON(call, 404, errorBody(404, 'Not Found'));
      sendJSON(call, 200, {
        id: set.id,
        name: set.name ?? `ruleset ${set.id}`,
        target: 'branch',
        source_type: 'Repository',
        source: repo,
        enforcement: 'active',
        // GitHub shows bypass_actors only to those who may edit the ruleset.
        ...(set.bypassActors === undefined ? {} : { bypass_actors: set.bypassActors }),
        current_user_can_bypass: 'never',
      });
    }),
    route('branches/([^/]+)/protection', 'branch-protection', (call, [repo = '', branch = '']) => {
      const p = source.classic.get(key(repo, branch));
      if (p === undefined) return sendJSON(call, 404, errorBody(404, 'Branch not protected'));
      const url = `${call.base}/repos/${repo}/branches/${branch}/protection`;
      sendJSON(call, 200, {
        url,
        ...(p.statusChecks === undefined
          ? {}
          : {
              required_status_checks: {
                url: `${url}/required_status_checks`,
                strict: false,
                contexts: p.statusChecks,
                checks: p.statusChecks.map((context) => ({ context, app_id: null })),
              },
            }),
        ...(p.approvals === undefined
          ? {}
          : {
              required_pull_request_reviews: {
                url: `${url}/required_pull_request_reviews`,
                dismiss_stale_reviews: false,
                require_code_owner_reviews: false,
                required_approving_review_count: p.approvals,
              },
            }),
        enforce_admins: { url: `${url}/enforce_admins`, enabled: p.enforceAdmins === true },
        allow_force_pushes: { enabled: p.allowForcePushes === true },
        allow_deletions: { enabled: p.allowDeletions === true },
      });
    }),
    route('commits/([0-9a-fA-F]+)/pulls', 'commit-pulls', (call, [repo = '', sha = '']) => {
      // Pull requests associated with the commit: those merged as it, and open ones (GitHub lists a
      // pull request whose head contains the commit too; a client must not count those as merging it).
      const pulls = (source.pulls.get(repo.toLowerCase()) ?? []).filter(
        (pr) => pr.mergeCommitSha === null || pr.mergeCommitSha === sha,
      );
      sendJSON(
        call,
        200,
        pulls.map((pr) => ({
          number: pr.number,
          state: pr.mergeCommitSha === null ? 'open' : 'closed',
          html_url: `https://github.com/${repo}/pull/${pr.number}`,
          user: { login: pr.author, type: 'User' },
          base: { ref: pr.base },
          merged_at: pr.mergeCommitSha === null ? null : '2026-11-01T00:00:00Z',
          merge_commit_sha: pr.mergeCommitSha,
        })),
      );
    }),
    route('pulls/(\\d+)/reviews', 'pull-reviews', (call, [repo = '', n = '']) => {
      const pr = (source.pulls.get(repo.toLowerCase()) ?? []).find((p) => String(p.number) === n);
      if (pr === undefined) return sendJSON(call, 404, errorBody(404, 'Not Found'));
      sendJSON(
        call,
        200,
        pr.reviews.map((r, i) => ({
          id: 80 + i,
          user: { login: r.reviewer, type: 'User' },
          state: r.state,
          submitted_at: '2026-11-01T00:00:00Z',
          commit_id: pr.mergeCommitSha,
        })),
      );
    }),
  ];
}
