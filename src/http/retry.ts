// Bounded retries for the HTTP calls we make ourselves (the OIDC token and the issuer's keys, the
// GitHub API, registries' token services; the registry transport shares the backoff; sigstore-js
// retries its own). Transient faults (408, 429, 5xx, resets, timeouts, and an answer whose body breaks
// off or is garbage where the caller checks it) are retried with exponential backoff and jitter,
// honouring retry-after; anything else, or running out of attempts, becomes one ProvenanceError naming
// the service, the request and the problem. Worst-case times are in docs/retries.md.

import { ProvenanceError, type ErrorCode } from '../common/errors.ts';

export interface RetryPolicy {
  attempts: number; // total tries, including the first
  baseDelayMs: number;
  maxDelayMs: number; // cap for one wait, including a server's retry-after
  timeoutMs: number; // per attempt
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 10_000, timeoutMs: 15_000 };

/**
 * The longest one request can take under `policy` before it succeeds or fails for good: every attempt
 * running into its timeout, and every wait between attempts at the cap (a server's retry-after, or
 * GitHub's rate-limit wait, is honoured up to `maxDelayMs`; a longer one ends the retries at once).
 * docs/retries.md documents these figures; a unit test keeps them in step.
 */
export function worstCaseMs(policy: RetryPolicy): number {
  return policy.attempts * policy.timeoutMs + (policy.attempts - 1) * policy.maxDelayMs;
}

// Test hook: two variables that only ever make the action give up or retry sooner, never less often,
// so fault tests of the bundled action finish in seconds. Neither changes the number of attempts or
// any decision taken on an answer (a retry-after is judged against the real cap, then slept shortened).
/** Multiplies every wait between attempts (ours and sigstore-js'): a number in [0, 1); default 1. */
export const BACKOFF_SCALE_VARIABLE = 'PROVENANCE_TEST_BACKOFF_SCALE';
/** Caps every per-request timeout (ours and sigstore-js'), in ms; only lowers the production value. */
export const TIMEOUT_CAP_VARIABLE = 'PROVENANCE_TEST_TIMEOUT_MS';

export interface TimingHook {
  backoffScale: number;
  timeoutCapMs: number;
}

/** The hook's settings from `env`; anything but a number that shortens is ignored. */
export function timingHook(env: NodeJS.ProcessEnv): TimingHook {
  const number = (name: string): number => (env[name]?.trim() ? Number(env[name]) : Number.NaN);
  const scale = number(BACKOFF_SCALE_VARIABLE);
  const cap = number(TIMEOUT_CAP_VARIABLE);
  return {
    backoffScale: scale >= 0 && scale < 1 ? scale : 1,
    timeoutCapMs: Number.isFinite(cap) && cap >= 1 ? cap : Number.POSITIVE_INFINITY,
  };
}

const HOOK = timingHook(process.env);

/** A per-request timeout as used: the configured one, lowered by the test hook if it is set. */
export function requestTimeout(ms: number): number {
  return Math.min(ms, HOOK.timeoutCapMs);
}

/** A wait between attempts as slept: shortened by the test hook if it is set. */
export function backoffWait(ms: number): number {
  return ms * HOOK.backoffScale;
}

/** Sleeps a wait between attempts (see backoffWait). */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, backoffWait(ms)));
}

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
  /**
   * Makes one attempt's request instead of the global fetch, e.g. to follow redirects by hand and check
   * each hop (a registry's token service, src/registry/token.ts). Gets the init with the attempt's signal.
   */
  send?: (url: string, init: RequestInit) => Promise<Response>;
}

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

/**
 * What a caller makes of an answer's body, read within the attempt (so the per-attempt timeout covers
 * it): a value, or a problem such as "HTTP 200 with a body that is not JSON" — garbage, or a body that
 * broke off — which is retried like a 5xx and, once attempts run out, named in the error line. A
 * ProvenanceError thrown here ends the retries at once.
 */
export type BodyReader<T> = (response: Response) => Promise<{ ok: true; value: T } | { ok: false; problem: string }>;

export async function fetchWithRetry(req: ServiceRequest, policy: RetryPolicy = DEFAULT_RETRY): Promise<Response> {
  return fetchAndRead(req, (response) => Promise.resolve({ ok: true, value: response }), policy);
}

/** fetchWithRetry, with the body read (and judged) by `read` inside each attempt. */
export async function fetchAndRead<T>(
  req: ServiceRequest,
  read: BodyReader<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  let lastProblem = '';
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    let retryAfter: string | null = null;
    let asked: number | undefined;
    try {
      const init = { ...req.init, signal: AbortSignal.timeout(requestTimeout(policy.timeoutMs)) };
      const response = await (req.send === undefined ? fetch(req.url, init) : req.send(req.url, init));
      let answered = response.ok;
      if (!answered) {
        asked = req.serverWait?.(response);
        const transient = asked === undefined ? isTransientStatus(response.status) : asked <= policy.maxDelayMs;
        answered = (!transient || attempt === policy.attempts) && (req.passStatus?.(response.status) ?? false);
        if (!answered) {
          lastProblem =
            asked !== undefined && !transient
              ? `HTTP ${response.status} asking to wait ${Math.ceil(asked / 1000)} s`
              : `HTTP ${response.status}`;
          await response.body?.cancel();
          if (!transient) break;
          retryAfter = response.headers.get('retry-after');
        }
      }
      if (answered) {
        const body = await read(response);
        if (body.ok) return body.value;
        lastProblem = body.problem;
        asked = undefined;
      }
    } catch (err) {
      if (err instanceof ProvenanceError) throw err;
      // Network failures (refused, reset, DNS, timeout) are transient until attempts run out.
      lastProblem = networkReason(err);
      asked = undefined;
    }
    if (attempt < policy.attempts) await pause(asked ?? backoffDelay(attempt, policy, retryAfter));
  }
  throw new ProvenanceError(req.code, `${req.service} failed: ${describe(req)} answered ${lastProblem}`, req.hint);
}

/** A BodyReader for JSON answers: the parsed value if `accept` takes it, else a problem naming what came. */
export function jsonBody<T>(what: string, accept: (value: unknown) => T | undefined): BodyReader<T> {
  return async (response) => {
    const text = await response.text();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { ok: false, problem: `HTTP ${response.status} with a body that is not JSON (expected ${what})` };
    }
    const accepted = accept(value);
    return accepted === undefined
      ? { ok: false, problem: `HTTP ${response.status} with JSON that is not ${what}` }
      : { ok: true, value: accepted };
  };
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
