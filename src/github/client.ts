// What the endpoint files (releases, release assets, attestations) call: one request or every page of a
// list, through octokit (see octokit.ts), with every HTTP answer handed back as an Answer, because only
// the caller knows what a 404 or 422 means for its request. A failure below HTTP (refused, reset, timed
// out, a body that broke off or is garbage) that outlasts octokit's retries becomes one ProvenanceError
// line naming the GitHub API, the request and the reason.

import { ProvenanceError } from '../common/errors.ts';
import { backoffWait, DEFAULT_RETRY, networkReason, type RetryPolicy } from '../http/retry.ts';
import { describeRequest, refusal, SERVICE, unusable, type Answer, type RequestIntent } from './failure.ts';
import { MAX_JSON_BYTES, MAX_PAGES, PER_PAGE } from './limits.ts';
import { createOctokit, GitHubFailure, JSON_MEDIA_TYPE, WRITE_INTERVAL_MS, type GitHubOctokit } from './octokit.ts';
import { BodyProblem, gitHubFetch, StopRequest } from './transport.ts';

export interface GitHubClientOptions {
  apiUrl: string; // checked by gitHubEndpoints
  token: string; // checked by requireToken
  retry?: RetryPolicy;
  /** Spacing of writes; GitHub's 1 s unless a test shortens it. */
  writeIntervalMs?: number;
  debug?: (line: string) => void;
}

export interface GitHubRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** A path under the API base ("/repos/…"), or an absolute URL GitHub gave us (upload_url, bundle_url). */
  url: string;
  query?: Record<string, string | number>;
  accept?: string;
  body?: { bytes: Buffer; contentType: string } | { json: unknown };
  maxBytes?: number;
  /** Sent without the token: pre-signed storage URLs (attestation bundle_url) need none. */
  anonymous?: boolean;
  /** Tries plugin-retry may add; 0 for a write whose caller looks for the stored copy before trying again. */
  retries?: number;
  /** The body's bytes as a Buffer (downloads); otherwise JSON is parsed (see octokit.ts). */
  raw?: boolean;
}

const NETWORK_HINT =
  'Re-run the job later; if it keeps failing, check that the runner can reach GITHUB_API_URL and that it is the GitHub REST API';

export class GitHubClient {
  readonly apiUrl: string;
  readonly retry: RetryPolicy;
  readonly #octokit: GitHubOctokit;
  readonly #token: string; // private field: not enumerable, so it never shows up in an inspected object
  readonly #timeoutMs: number;

  constructor(options: GitHubClientOptions) {
    this.apiUrl = options.apiUrl;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.#token = options.token;
    this.#timeoutMs = this.retry.timeoutMs;
    this.#octokit = createOctokit({
      apiUrl: options.apiUrl,
      token: options.token,
      timeoutMs: this.retry.timeoutMs,
      retry: this.retry,
      writeIntervalMs: options.writeIntervalMs ?? backoffWait(WRITE_INTERVAL_MS),
      debug: options.debug ?? (() => undefined),
    });
  }

  /** One request, retried by octokit while transient. Any HTTP status comes back; other failures throw. */
  async send(req: GitHubRequest): Promise<Answer> {
    const url = this.#url(req);
    const headers: Record<string, string> = { accept: req.accept ?? JSON_MEDIA_TYPE };
    let data: string | Buffer | undefined;
    if (req.body && 'json' in req.body) {
      data = JSON.stringify(req.body.json);
      headers['content-type'] = 'application/json';
    } else if (req.body) {
      data = req.body.bytes;
      headers['content-type'] = req.body.contentType;
    }
    const limits = { maxBytes: req.maxBytes ?? MAX_JSON_BYTES, anonymous: req.anonymous === true };
    try {
      const response = await this.#octokit.request({
        method: req.method,
        url,
        headers,
        ...(data === undefined ? {} : { data }),
        request: {
          fetch: gitHubFetch({ apiUrl: this.apiUrl, token: this.#token, timeoutMs: this.#timeoutMs }, limits),
          ...(req.retries === undefined ? {} : { retries: req.retries }),
        },
      });
      const body: unknown = req.raw === true ? await bytesOf(response.data) : response.data;
      return {
        method: req.method,
        url,
        status: response.status,
        headers: toHeaders(response.headers),
        data: body,
        attempts: 1,
      };
    } catch (err) {
      if (err instanceof GitHubFailure && err.answer !== undefined) return err.answer;
      throw this.#settled(err);
    }
  }

  /** A JSON answer with one of the `ok` statuses; anything else becomes the refusal's error line. */
  async json(req: GitHubRequest, intent: RequestIntent, ok: readonly number[] = [200]): Promise<unknown> {
    const answer = await this.send(req);
    if (!ok.includes(answer.status)) throw this.refusal(answer, intent);
    return this.parse(answer);
  }

  /** The answer's JSON. Octokit hands over a body as text when its content type is not JSON: parsed here. */
  parse(answer: Answer): unknown {
    if (typeof answer.data === 'string') {
      try {
        return JSON.parse(answer.data) as unknown;
      } catch {
        throw this.unusable(answer, `HTTP ${answer.status} and a body that is not JSON`);
      }
    }
    if (Buffer.isBuffer(answer.data) || answer.data instanceof ArrayBuffer)
      throw this.unusable(answer, `HTTP ${answer.status} and a body that is not JSON`);
    return answer.data;
  }

  refusal(answer: Answer, intent: RequestIntent): ProvenanceError {
    return refusal(answer, intent, this.#token);
  }

  unusable(answer: Pick<Answer, 'method' | 'url'>, what: string): ProvenanceError {
    return unusable(answer.method, answer.url, what, this.#token);
  }

  /**
   * Every page of a list, as octokit follows GitHub's `Link: rel="next"`. `pick` extracts the items from
   * one page's JSON. A first page that is not 200 goes to `onRefused`, which may answer with a list (a
   * 404 that means "none") or undefined for the usual error.
   */
  async list<T>(
    req: GitHubRequest,
    intent: RequestIntent,
    pick: (page: unknown, answer: Answer) => T[],
    onRefused?: (answer: Answer) => T[] | undefined,
  ): Promise<T[]> {
    const url = this.#url({ ...req, query: { per_page: PER_PAGE, ...req.query } });
    const items: T[] = [];
    let pages = 0;
    try {
      for await (const response of this.#octokit.paginate.iterator({
        method: 'GET',
        url,
        headers: { accept: req.accept ?? JSON_MEDIA_TYPE },
      })) {
        if (++pages > MAX_PAGES) throw this.unusable({ method: 'GET', url }, `more than ${MAX_PAGES} pages`);
        const answer: Answer = {
          method: 'GET',
          url: response.url || url,
          status: response.status,
          headers: toHeaders(response.headers),
          data: response.data,
          attempts: 1,
        };
        items.push(...pick(this.parse(answer), answer));
      }
    } catch (err) {
      if (err instanceof GitHubFailure && err.answer !== undefined) {
        const instead = pages === 0 ? onRefused?.(err.answer) : undefined;
        if (instead) return instead;
        throw this.refusal(err.answer, intent);
      }
      throw this.#settled(err);
    }
    return items;
  }

  /** The ProvenanceError for a request that got no usable HTTP answer. */
  #settled(err: unknown): unknown {
    if (err instanceof StopRequest) return err.problem;
    if (err instanceof GitHubFailure) {
      const reason = err.cause instanceof BodyProblem ? err.cause.message : networkReason(err.cause);
      return new ProvenanceError(
        'GITHUB_API_FAILED',
        `${SERVICE} failed: ${describeRequest(err.method, err.url)} answered ${reason}`,
        NETWORK_HINT,
        { cause: err },
      );
    }
    return err;
  }

  #url(req: Pick<GitHubRequest, 'method' | 'url' | 'query'>): string {
    let url: URL;
    try {
      url = req.url.startsWith('/') ? new URL(this.apiUrl + req.url) : new URL(req.url);
    } catch {
      throw new ProvenanceError(
        'GITHUB_API_FAILED',
        `${SERVICE} gave a URL that does not parse`,
        'Re-run the job; if it persists, report it',
      );
    }
    for (const [key, value] of Object.entries(req.query ?? {})) url.searchParams.set(key, String(value));
    return url.href;
  }
}

function toHeaders(headers: Record<string, string | number | undefined>): Headers {
  const out = new Headers();
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) out.set(name, String(value));
  return out;
}

async function bytesOf(data: unknown): Promise<Buffer> {
  if (data instanceof ReadableStream)
    return Buffer.from(await new Response(data as ReadableStream<Uint8Array>).arrayBuffer());
  return Buffer.alloc(0); // 204: no body
}
