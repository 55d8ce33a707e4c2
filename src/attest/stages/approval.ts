// The approval stage: a human-review predicate saying a person let this artifact through. In a
// GitHub Actions job the approval is the deployment environment's required reviewers: the job
// only runs once they approve, so a job that runs and attests is the approval, and the run is the
// link to who approved and when. The job's environment and actor come from its verified OIDC
// token and go into an extension field (in-toto consumers ignore fields they do not know). Without
// an environment nobody had to approve anything, which is worth a warning rather than a refusal
// (the workflow may gate in another way). A user document may override result, reviewLink and
// timestamp, and nothing else: an unknown key is refused so a typo cannot silently vanish.

import { GITHUB_APPROVAL_FIELD, HUMAN_REVIEW_V01 } from '../../stages/presets.ts';
import { describe, invalid, isTimestamp, own, quote, runURL } from './checks.ts';
import { isObject } from '../../common/json.ts';
import type { StageContext, StagePredicate } from './stage.types.ts';

const KEYS = new Set(['result', 'reviewLink', 'timestamp']);
const HINT =
  'The approval document may set only "result" ("pass" or "fail"), "reviewLink" (an https URL) and "timestamp" (RFC 3339)';

export function approvalPredicate(document: unknown, origin: string, ctx: StageContext): StagePredicate {
  const given = document === undefined ? {} : overrides(document, origin);
  const reviewLink = given.reviewLink ?? (ctx.github === undefined ? undefined : runURL(ctx.github));
  const predicate: Record<string, unknown> = {
    result: given.result ?? 'pass',
    ...(reviewLink === undefined ? {} : { reviewLink }),
    timestamp: given.timestamp ?? ctx.now.toISOString(),
  };
  const warnings: string[] = [];
  if (ctx.github === undefined) {
    warnings.push(
      'approval: the signing identity is not a GitHub Actions job, so the run link and approver context (environment, actor) are not recorded',
    );
  } else {
    const approval: Record<string, string> = {};
    if (ctx.github.environment !== undefined) approval['environment'] = ctx.github.environment;
    if (ctx.github.actor !== undefined) approval['actor'] = ctx.github.actor;
    // An empty object would say nothing: the field is there only with what the token told.
    if (Object.keys(approval).length > 0) predicate[GITHUB_APPROVAL_FIELD] = approval;
    if (ctx.github.environment === undefined) {
      warnings.push(
        'approval: the job has no deployment environment, so no reviewer approved it; add `environment:` with required reviewers to the job that attests the approval',
      );
    }
  }
  return { predicateType: HUMAN_REVIEW_V01, predicate, warnings };
}

interface Overrides {
  result?: 'pass' | 'fail';
  reviewLink?: string;
  timestamp?: string;
}

function overrides(document: unknown, origin: string): Overrides {
  if (!isObject(document))
    throw invalid(origin, `expected an approval document (a JSON object), found ${describe(document)}`, HINT);
  const out: Overrides = {};
  for (const key of Object.keys(document)) {
    if (!KEYS.has(key))
      throw invalid(
        origin,
        `expected only the keys result, reviewLink and timestamp, found the key ${quote(key)}`,
        HINT,
      );
  }
  if (Object.hasOwn(document, 'result')) {
    const result = own(document, 'result');
    if (result !== 'pass' && result !== 'fail')
      throw invalid(origin, `expected result to be "pass" or "fail", found ${describe(result)}`, HINT);
    out.result = result;
  }
  if (Object.hasOwn(document, 'reviewLink')) {
    const link = own(document, 'reviewLink');
    if (!isHttpsURL(link))
      throw invalid(origin, `expected reviewLink to be an https URL, found ${describe(link)}`, HINT);
    out.reviewLink = link;
  }
  if (Object.hasOwn(document, 'timestamp')) {
    const timestamp = own(document, 'timestamp');
    if (!isTimestamp(timestamp))
      throw invalid(origin, `expected timestamp to be an RFC 3339 timestamp, found ${describe(timestamp)}`, HINT);
    out.timestamp = timestamp;
  }
  return out;
}

function isHttpsURL(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  return URL.canParse(value) && new URL(value).protocol === 'https:';
}
