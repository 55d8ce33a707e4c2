// Turning a GitHub answer we cannot use into one ProvenanceError line: the service ("GitHub API"), the
// request (method and URL without its query), the status with GitHub's own message, and the fix —
// usually the workflow permission to grant. The token is scrubbed from anything the server echoes.

import { ProvenanceError, type ErrorCode } from '../common/errors.ts';
import { untrusted } from '../output/untrusted.ts';

export const SERVICE = 'GitHub API';

/** What a refusal of this request most likely means the user must grant, e.g. `contents: write`. */
export interface RequestIntent {
  permission: string;
}

/** One HTTP answer as octokit gave it, whatever its status: the caller knows what a 404 or 422 means. */
export interface Answer {
  method: string;
  url: string; // as requested (before any redirect), with its query
  status: number;
  headers: Headers;
  data: unknown; // parsed JSON, text, or (downloads) a Buffer
  attempts: number; // how many tries it took to get this answer
  /** Set when this is a rate limit octokit's throttling did not wait out: the seconds GitHub asked for. */
  rateLimitedFor?: number | undefined;
}

/**
 * `GET https://api.github.com/repos/o/r/releases/tags/v1`: never the query, which may carry a name or cursor;
 * a digest's colon, escaped for octokit (see repoPath), is shown as people write it.
 */
export function describeRequest(method: string, url: string): string {
  const u = new URL(url);
  return `${method} ${u.origin}${u.pathname.replace(/%3A/gi, ':')}`;
}

export function redact(text: string, secret: string): string {
  return secret.length >= 4 ? text.split(secret).join('***') : text;
}

/** GitHub's `message` (and the first `errors[].code`) from an answer's JSON, on one short line. */
export function gitHubMessage(parsed: unknown): string | undefined {
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { message, errors } = parsed as { message?: unknown; errors?: unknown };
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  const code = typeof first === 'object' && first !== null ? (first as { code?: unknown }).code : undefined;
  const text = [message, code].filter((s): s is string => typeof s === 'string' && s !== '').join(': ');
  return text === '' ? undefined : untrusted(text.replace(/\s+/g, ' '));
}

export function isAlreadyExists(answer: Pick<Answer, 'status' | 'data'>): boolean {
  if (answer.status !== 422) return false;
  return gitHubMessage(answer.data)?.includes('already_exists') ?? false;
}

export function refusal(answer: Answer, intent: RequestIntent, token: string): ProvenanceError {
  const request = describeRequest(answer.method, answer.url);
  const said = gitHubMessage(answer.data);
  const status = `HTTP ${answer.status}${said ? ` "${said}"` : ''}`;
  const limited =
    answer.rateLimitedFor === undefined ? undefined : `rate limited for another ${answer.rateLimitedFor} s`;
  const grant = `Grant the job "permissions: ${intent.permission}" (or pass a github-token that has it)`;
  let code: ErrorCode = 'GITHUB_API_FAILED';
  let message: string;
  let hint: string;
  if (limited) {
    message = `${SERVICE} refused ${request}: ${status}, ${limited}`;
    hint = 'Re-run the job after the rate limit resets, or publish from fewer jobs at once';
  } else if (answer.status === 408 || answer.status === 429 || answer.status >= 500) {
    message = `${SERVICE} failed: ${request} answered ${status} after ${answer.attempts} attempt(s)`;
    hint = 'Re-run the job later; GitHub may be degraded (see its status page)';
  } else if (answer.status === 401) {
    code = 'GITHUB_PERMISSION_DENIED';
    message = `${SERVICE} refused the token for ${request}: ${status}`;
    hint =
      'Pass a valid token in github-token; the default "${{ github.token }}" works for the workflow\'s own repository';
  } else if (answer.status === 403) {
    code = 'GITHUB_PERMISSION_DENIED';
    message = `${SERVICE} refused ${request}: ${status}`;
    hint = grant;
  } else if (answer.status === 404) {
    message = `${SERVICE} found nothing at ${request}: ${status}`;
    hint = `Check the repository name; GitHub also answers 404 to a token that cannot see the repository: ${grant}`;
  } else {
    message = `${SERVICE} refused ${request}: ${status}`;
    hint = 'This request is built by the action: re-run with debug logging (ACTIONS_STEP_DEBUG) and report it';
  }
  return new ProvenanceError(code, redact(message, token), redact(hint, token));
}

/** An answer we read but cannot use (not JSON, missing fields, too large). */
export function unusable(method: string, url: string, what: string, token: string): ProvenanceError {
  return new ProvenanceError(
    'GITHUB_API_FAILED',
    redact(`${SERVICE} answered ${describeRequest(method, url)} with ${what}`, token),
    'Re-run the job; if it persists, GITHUB_API_URL may point at something other than the GitHub REST API',
  );
}
