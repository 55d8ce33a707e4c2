// One registry request, done properly: the remembered login attached, a 401 challenge answered once,
// transient faults (408, 429, 5xx, resets, timeouts) retried with the backoff of src/http/retry.ts,
// redirects followed only to https (or loopback) and without our Authorization header when they leave the
// registry's origin. A body is read within its attempt (the per-attempt timeout covers it), and one that
// breaks off, or that the caller finds unusable (garbage, a wrong digest), is retried like a 5xx. Every
// other outcome the caller did not expect becomes one ProvenanceError naming the registry, the request
// (method and path, never the query or a header) and the status.

import { ProvenanceError } from '../common/errors.ts';
import { untrusted } from '../output/untrusted.ts';
import {
  backoffDelay,
  isTransientStatus,
  networkReason,
  pause,
  requestTimeout,
  type RetryPolicy,
} from '../http/retry.ts';
import type { Authenticator, Scope } from './auth.ts';
import { parseChallenge } from './challenge.ts';
import { assertSecureURL, registryBaseURL } from './endpoint.ts';
import { isObject, parseJSON } from '../common/json.ts';
import { MAX_ERROR_BODY_BYTES, readLimited } from './limits.ts';

export interface RegistryRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'POST';
  /** A path under the registry (`/v2/…`), or an absolute URL it gave us (an upload location). */
  target: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Statuses the caller handles itself; any other ends in an error (after retries, if transient). */
  expect: readonly number[];
}

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Thrown by a body reader for an answer it cannot use but that a retry may fix (garbage from a proxy, a
 * body that does not match its digest): the request is retried, and `error` thrown once attempts run out.
 */
export class UnusableAnswer extends Error {
  readonly error: ProvenanceError;
  constructor(error: ProvenanceError) {
    super(error.message);
    this.error = error;
  }
}

export class RegistryTransport {
  readonly registry: string;
  readonly scope: Scope;
  readonly base: URL;
  readonly #auth: Authenticator;
  readonly #retry: RetryPolicy;

  constructor(registry: string, scope: Scope, auth: Authenticator, retry: RetryPolicy) {
    this.registry = registry;
    this.scope = scope;
    this.base = new URL(registryBaseURL(registry));
    this.#auth = auth;
    this.#retry = retry;
  }

  /** `GET /v2/…`: how a request is named in error lines (the path only; a query may carry state). */
  describe(req: Pick<RegistryRequest, 'method' | 'target'>): string {
    return `${req.method} ${new URL(req.target, this.base).pathname}`;
  }

  async send(req: RegistryRequest): Promise<Response> {
    return this.sendAndRead(req, (response) => Promise.resolve(response));
  }

  /** send, with the answer (of an expected status) read by `read` within the attempt; see UnusableAnswer. */
  async sendAndRead<T>(req: RegistryRequest, read: (response: Response) => Promise<T>): Promise<T> {
    const url = new URL(req.target, this.base);
    const what = this.describe(req);
    assertSecureURL(url, `registry ${this.registry}`, what);
    let answeredChallenge = false;
    for (let attempt = 1; ; attempt++) {
      let retryAfter: string | null = null;
      try {
        const response = await this.#fetch(url, req);
        if (req.expect.includes(response.status)) return await read(response);
        if (response.status === 401 && !answeredChallenge) {
          const challenge = parseChallenge(response.headers.get('www-authenticate'));
          await response.body?.cancel();
          if (challenge === undefined) throw await this.#failure(401, what, ' without a WWW-Authenticate challenge');
          await this.#auth.answer(this.registry, this.scope, challenge, what);
          answeredChallenge = true;
          attempt--; // answering a challenge is not a retry
          continue;
        }
        if (!isTransientStatus(response.status) || attempt >= this.#retry.attempts) {
          throw await this.#failure(response.status, what, await errorDetail(response));
        }
        retryAfter = response.headers.get('retry-after');
        await response.body?.cancel();
      } catch (err) {
        if (err instanceof UnusableAnswer) {
          if (attempt >= this.#retry.attempts) throw err.error;
        } else if (err instanceof ProvenanceError) {
          throw err;
        } else if (attempt >= this.#retry.attempts) {
          // Network failures (refused, reset, DNS, timeout, a body that broke off) are transient until attempts run out.
          throw new ProvenanceError(
            'REGISTRY_FAILED',
            `registry ${this.registry} failed: ${what} answered ${networkReason(err)}`,
            `Check that ${this.registry} is reachable from the runner, then re-run the job`,
            { cause: err },
          );
        }
      }
      await pause(backoffDelay(attempt, this.#retry, retryAfter));
    }
  }

  // One attempt, following redirects by hand so each hop is checked and keeps credentials at home.
  async #fetch(url: URL, req: RegistryRequest): Promise<Response> {
    let current = url;
    let method: string = req.method;
    let body: Uint8Array | undefined = req.body;
    const signal = AbortSignal.timeout(requestTimeout(this.#retry.timeoutMs));
    for (let hop = 0; ; hop++) {
      const headers = new Headers(req.headers);
      const authorization =
        current.origin === this.base.origin ? this.#auth.authorization(this.registry, this.scope) : undefined;
      if (authorization !== undefined) headers.set('authorization', authorization);
      const response = await fetch(current, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        redirect: 'manual',
        signal,
      });
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || location === null || hop >= MAX_REDIRECTS) return response;
      await response.body?.cancel();
      current = new URL(location, current);
      assertSecureURL(current, `registry ${this.registry}`, `a redirect of ${this.describe(req)}`);
      if (response.status === 303) {
        method = 'GET';
        body = undefined;
      }
    }
  }

  async #failure(status: number, what: string, detail: string): Promise<ProvenanceError> {
    const line = `registry ${this.registry} failed: ${what} answered HTTP ${status}${detail}`;
    if (status === 401 || status === 403) {
      const extra =
        status === 403 && this.registry === 'ghcr.io' && this.scope.push
          ? ' (a workflow needs "permissions: packages: write")'
          : '';
      return new ProvenanceError(
        'REGISTRY_AUTH_FAILED',
        line,
        `${await this.#auth.loginHint(this.registry, this.scope)}${extra}`,
      );
    }
    if (status === 404) {
      return new ProvenanceError(
        'REGISTRY_FAILED',
        line,
        `Check the image reference: ${this.registry}/${this.scope.repository} must exist and be visible to the login used`,
      );
    }
    if (isTransientStatus(status)) {
      return new ProvenanceError(
        'REGISTRY_FAILED',
        line,
        `${this.registry} kept failing after ${this.#retry.attempts} attempts; re-run the job later`,
      );
    }
    return new ProvenanceError(
      'REGISTRY_FAILED',
      line,
      `${this.registry} refused the request; check the image reference and the registry's support for OCI artifacts`,
    );
  }
}

/** ` (CODE: message)` from a registry's `{"errors":[{code, message}]}` body, or nothing. */
async function errorDetail(response: Response): Promise<string> {
  if (response.body === null) return '';
  const bytes = await readLimited(response, MAX_ERROR_BODY_BYTES, 'error body').catch(() => new Uint8Array());
  const parsed = parseJSON(bytes);
  if (!parsed.ok || !isObject(parsed.value) || !Array.isArray(parsed.value['errors'])) return '';
  const first: unknown = parsed.value['errors'][0];
  if (!isObject(first)) return '';
  const text = [first['code'], first['message']]
    .filter((s): s is string => typeof s === 'string' && s !== '')
    .join(': ');
  return text === '' ? '' : ` (${untrusted(text.replace(/\s+/g, ' '), 160)})`;
}
