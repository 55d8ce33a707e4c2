// The small GitHub REST client every other file here uses: the headers GitHub asks for, the token as a
// Bearer header (and nowhere else), bounded retries through fetchAndRead (408/429/5xx/resets, bodies that
// break off or are garbage where JSON was asked for, plus GitHub's rate-limit 403s), capped bodies, and pages followed through `Link: rel="next"`. It returns
// every HTTP answer to the caller, which knows what a 404 or 422 means for its request.

import { DEFAULT_RETRY, fetchAndRead, isTransientStatus, networkReason, type RetryPolicy } from '../http/retry.ts';
import { ProvenanceError } from '../errors.ts';
import { describeRequest, redact, refusal, SERVICE, unusable, type Answer, type RequestIntent } from './failure.ts';
import { MAX_JSON_BYTES, MAX_PAGES, PER_PAGE } from './limits.ts';
import { nextPageUrl } from './link-header.ts';
import { rateLimitWait } from './rate-limit.ts';
import { readBody } from './read-body.ts';

export const API_VERSION = '2022-11-28';
export const JSON_MEDIA_TYPE = 'application/vnd.github+json';

export interface RestClientOptions {
  apiUrl: string; // checked by gitHubEndpoints
  token: string; // checked by requireToken
  retry?: RetryPolicy;
  /** Debug lines: method, URL without query, status. Never headers, never the token. */
  debug?: (line: string) => void;
}

export interface RestRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** A path under the API base ("/repos/…"), or an absolute URL GitHub gave us (upload_url, Link). */
  url: string;
  query?: Record<string, string | number>;
  accept?: string;
  body?: { bytes: Buffer; contentType: string } | { json: unknown };
  maxBytes?: number;
  /** Sent without the token: pre-signed storage URLs (attestation bundle_url) need none. */
  anonymous?: boolean;
  retry?: RetryPolicy;
  /** A GET's 2xx must be JSON: anything else is garbage, retried like a 5xx. */
  expectJSON?: boolean;
}

export class RestClient {
  readonly apiUrl: string;
  readonly retry: RetryPolicy;
  readonly #token: string; // private field: not enumerable, so it never shows up in an inspected object
  readonly #debug: (line: string) => void;

  constructor(options: RestClientOptions) {
    this.apiUrl = options.apiUrl;
    this.#token = options.token;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.#debug = options.debug ?? (() => undefined);
  }

  /** One request, retried while transient. Any HTTP status comes back; network failures throw. */
  async send(req: RestRequest): Promise<Answer> {
    const url = this.#resolve(req);
    const policy = req.retry ?? this.retry;
    const headers: Record<string, string> = {
      accept: req.accept ?? JSON_MEDIA_TYPE,
      'x-github-api-version': API_VERSION,
      'user-agent': 'provenance-action',
    };
    if (!req.anonymous) headers['authorization'] = `Bearer ${this.#token}`;
    let body: Buffer | string | undefined;
    if (req.body && 'json' in req.body) {
      body = JSON.stringify(req.body.json);
      headers['content-type'] = 'application/json';
    } else if (req.body) {
      body = req.body.bytes;
      headers['content-type'] = req.body.contentType;
    }
    const maxBytes = req.maxBytes ?? MAX_JSON_BYTES;
    // The body is read within its attempt: one that breaks off, or garbage where JSON was asked for
    // (a GET's 2xx), is retried like a 5xx and named in the error line if it persists.
    const { response, bytes } = await fetchAndRead(
      {
        service: SERVICE,
        code: 'GITHUB_API_FAILED',
        hint: 'Re-run the job later; if it keeps failing, check that the runner can reach GITHUB_API_URL and that it is the GitHub REST API',
        url,
        init: { method: req.method, headers, ...(body === undefined ? {} : { body }) },
        passStatus: () => true,
        serverWait: (r) => rateLimitWait(r),
      },
      async (response) => {
        const read = await readBody(response, maxBytes);
        if (!read.ok) {
          if (read.reason === 'too-large') throw unusable(req.method, url, `more than ${maxBytes} bytes`, this.#token);
          return { ok: false, problem: `HTTP ${response.status} with a body that broke off (${networkReason(read.cause)})` };
        }
        if (req.expectJSON === true && req.method === 'GET' && response.ok && !isJSON(read.bytes)) {
          return { ok: false, problem: `HTTP ${response.status} with a body that is not JSON` };
        }
        return { ok: true, value: { response, bytes: read.bytes } };
      },
      policy,
    );
    this.#debug(`${describeRequest(req.method, url)} -> ${response.status}`);
    const attempts = isTransientStatus(response.status) ? policy.attempts : 1;
    return { method: req.method, url, status: response.status, headers: response.headers, body: bytes, attempts };
  }

  /** A JSON answer with one of the `ok` statuses; anything else becomes the refusal's error line. */
  async json(req: RestRequest, intent: RequestIntent, ok: readonly number[] = [200]): Promise<unknown> {
    const answer = await this.send({ ...req, expectJSON: true });
    if (!ok.includes(answer.status)) throw this.refusal(answer, intent);
    return this.parse(answer);
  }

  parse(answer: Answer): unknown {
    try {
      return JSON.parse(answer.body.toString('utf8')) as unknown;
    } catch {
      throw unusable(answer.method, answer.url, `HTTP ${answer.status} and a body that is not JSON`, this.#token);
    }
  }

  refusal(answer: Answer, intent: RequestIntent): ProvenanceError {
    return refusal(answer, intent, this.#token);
  }

  unusable(answer: Pick<Answer, 'method' | 'url'>, what: string): ProvenanceError {
    return unusable(answer.method, answer.url, what, this.#token);
  }

  /**
   * Every page of a list, as GitHub links them. `pick` extracts the items from one page's JSON. A first
   * page that is not 200 goes to `onRefused`, which may answer with a list (a 404 that means "none")
   * or undefined for the usual error.
   */
  async list<T>(req: RestRequest, intent: RequestIntent, pick: (page: unknown, answer: Answer) => T[], onRefused?: (answer: Answer) => T[] | undefined): Promise<T[]> {
    const items: T[] = [];
    let next: RestRequest | undefined = { ...req, expectJSON: true, query: { per_page: PER_PAGE, ...req.query } };
    for (let page = 1; next; page++) {
      if (page > MAX_PAGES) throw this.unusable({ method: req.method, url: this.#resolve(req) }, `more than ${MAX_PAGES} pages`);
      const answer = await this.send(next);
      if (answer.status !== 200) {
        const instead = page === 1 ? onRefused?.(answer) : undefined;
        if (instead) return instead;
        throw this.refusal(answer, intent);
      }
      items.push(...pick(this.parse(answer), answer));
      const link = nextPageUrl(answer.headers.get('link'));
      next = link === undefined ? undefined : { ...req, expectJSON: true, url: this.#sameOrigin(link, answer.url), query: {} };
    }
    return items;
  }

  #resolve(req: RestRequest): string {
    let url: URL;
    try {
      url = req.url.startsWith('/') ? new URL(this.apiUrl + req.url) : new URL(req.url);
    } catch {
      throw new ProvenanceError('GITHUB_API_FAILED', `${SERVICE} gave a URL that does not parse`, 'Re-run the job; if it persists, report it');
    }
    for (const [key, value] of Object.entries(req.query ?? {})) url.searchParams.set(key, String(value));
    if (!req.anonymous && !this.#mayCarryToken(url)) {
      throw new ProvenanceError('GITHUB_API_FAILED', `${SERVICE} pointed ${req.method} at ${url.origin}, which is not GitHub's API or upload host`, 'Check GITHUB_API_URL; the token is only ever sent to the API host and its uploads host');
    }
    return url.href;
  }

  // The token goes to the API's own origin and to its uploads sibling (api.github.com → uploads.github.com;
  // GitHub Enterprise Server serves uploads under its own host), never to a host an answer names.
  #mayCarryToken(url: URL): boolean {
    const api = new URL(this.apiUrl);
    if (url.origin === api.origin) return true;
    const uploads = api.hostname.startsWith('api.') ? `uploads.${api.hostname.slice(4)}` : undefined;
    return url.protocol === 'https:' && api.protocol === 'https:' && url.hostname === uploads && url.port === api.port;
  }

  // A next-page link elsewhere would carry our token to another host: refuse it.
  #sameOrigin(link: string, from: string): string {
    let url: URL;
    try {
      url = new URL(link, from);
    } catch {
      throw this.unusable({ method: 'GET', url: from }, 'a Link header that is not a URL');
    }
    if (url.origin !== new URL(from).origin) {
      throw new ProvenanceError('GITHUB_API_FAILED', redact(`${SERVICE} linked the next page of ${describeRequest('GET', from)} to another host (${url.origin})`, this.#token), 'Check GITHUB_API_URL: a proxy in front of GitHub must keep Link headers on its own host');
    }
    return url.href;
  }
}

function isJSON(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}
