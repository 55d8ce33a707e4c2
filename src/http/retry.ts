// Bounded retries for the few HTTP calls we make ourselves (the OIDC token and the issuer's
// keys; sigstore-js retries its own). Transient faults (408, 429, 5xx, resets, timeouts) are
// retried with exponential backoff and jitter, honouring retry-after; anything else, or running
// out of attempts, becomes one ProvenanceError naming the service, the request and the status.

import { ProvenanceError, type ErrorCode } from '../errors.ts';

export interface RetryPolicy {
  attempts: number; // total tries, including the first
  baseDelayMs: number;
  maxDelayMs: number; // cap for one wait, including a server's retry-after
  timeoutMs: number; // per attempt
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 10_000, timeoutMs: 15_000 };

export interface ServiceRequest {
  service: string; // shown to the user, e.g. "GitHub OIDC token endpoint"
  code: ErrorCode;
  hint: string; // what to do when the service stays down
  url: string;
  init?: RequestInit;
  /**
   * Refusals the caller reads itself (GitHub's 404 or 422, say): handed back instead of thrown, once
   * retries are over for a transient one. Network failures are still thrown.
   */
  passStatus?: (status: number) => boolean;
  /**
   * A wait a service asks for on a refusal the generic rules call final (GitHub's rate-limited 403),
   * in ms; undefined when the answer says nothing. Used as is, without jitter; a wait longer than
   * `maxDelayMs` ends the retries at once, since retrying earlier cannot succeed.
   */
  serverWait?: (response: Response) => number | undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Milliseconds to wait before the next attempt; a server's retry-after wins within the cap. */
export function backoffDelay(attempt: number, policy: RetryPolicy, retryAfter: string | null): number {
  const seconds = retryAfter === null ? Number.NaN : Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, policy.maxDelayMs);
  const exponential = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(exponential / 2 + Math.random() * (exponential / 2), policy.maxDelayMs);
}

/** The request URL without its query, which may carry a token or other secrets. */
function describe(req: ServiceRequest): string {
  const url = new URL(req.url);
  return `${req.init?.method ?? 'GET'} ${url.origin}${url.pathname}`;
}

export async function fetchWithRetry(req: ServiceRequest, policy: RetryPolicy = DEFAULT_RETRY): Promise<Response> {
  let lastProblem = '';
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    let retryAfter: string | null = null;
    let asked: number | undefined;
    try {
      const response = await fetch(req.url, { ...req.init, signal: AbortSignal.timeout(policy.timeoutMs) });
      if (response.ok) return response;
      asked = req.serverWait?.(response);
      const transient = asked === undefined ? isTransientStatus(response.status) : asked <= policy.maxDelayMs;
      if ((!transient || attempt === policy.attempts) && req.passStatus?.(response.status)) return response;
      lastProblem = asked !== undefined && !transient ? `HTTP ${response.status} asking to wait ${Math.ceil(asked / 1000)} s` : `HTTP ${response.status}`;
      await response.body?.cancel();
      if (!transient) break;
      retryAfter = response.headers.get('retry-after');
    } catch (err) {
      // Network failures (refused, reset, DNS, timeout) are transient until attempts run out.
      lastProblem = networkReason(err);
    }
    if (attempt < policy.attempts) await sleep(asked ?? backoffDelay(attempt, policy, retryAfter));
  }
  throw new ProvenanceError(req.code, `${req.service} failed: ${describe(req)} answered ${lastProblem}`, req.hint);
}

/** The short reason a request failed below HTTP: ECONNREFUSED, ECONNRESET, a timeout. */
export function networkReason(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause;
  if (cause instanceof Error && 'code' in cause && typeof cause.code === 'string') return cause.code;
  if (err.name === 'TimeoutError') return 'a timeout';
  if (cause instanceof Error) return `${err.message} (${cause.message})`;
  return err.message;
}
