// The `fetch` octokit sends every GitHub request through (its `request.fetch` option). Octokit does the
// requests, paging, retries and rate limits; this is where what it does not do lives:
//  - the token: octokit never holds it. It is added here, per attempt, only when the destination is the
//    API's own origin or its uploads host, so neither a Link to another host nor a bundle_url ever
//    carries it; a redirect to another host drops it too (fetch removes Authorization across origins);
//  - a timeout per attempt, covering the body;
//  - the size cap: the body is read here, under the cap, and handed back to octokit as a fresh Response;
//  - garbage: a GET's 2xx that is not JSON where JSON was asked for is thrown as a BodyProblem, which
//    octokit turns into a retried 500 like a dropped connection.

import { ProvenanceError } from '../common/errors.ts';
import { networkReason, requestTimeout } from '../http/retry.ts';
import { SERVICE, unusable } from './failure.ts';
import { readBody } from './read-body.ts';

export interface TransportOptions {
  apiUrl: string; // checked by gitHubEndpoints
  token: string; // checked by requireToken
  timeoutMs: number; // per attempt
}

export interface TransportLimits {
  maxBytes: number;
  /** Sent without the token: pre-signed storage URLs (an attestation's bundle_url) need none. */
  anonymous: boolean;
}

/** A body that broke off, or garbage where JSON was asked for: retried like a dropped connection. */
export class BodyProblem extends Error {
  override readonly name = 'BodyProblem';
}

/**
 * A request we end ourselves, without retries: a body over the cap, or a token-bearing request aimed at
 * another host. @octokit/request passes an error named AbortError on unwrapped, and plugin-retry only
 * retries errors whose `request.request` it has marked, which this empty `request` never is.
 */
export class StopRequest extends Error {
  override readonly name = 'AbortError';
  readonly request = {};
  readonly problem: ProvenanceError;
  constructor(problem: ProvenanceError) {
    super(problem.message);
    this.problem = problem;
  }
}

export function gitHubFetch(options: TransportOptions, limits: TransportLimits): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? 'GET';
    const headers = new Headers(init?.headers);
    headers.delete('authorization');
    if (!limits.anonymous) {
      if (!mayCarryToken(url, options.apiUrl)) {
        throw new StopRequest(
          new ProvenanceError(
            'GITHUB_API_FAILED',
            `${SERVICE} pointed ${method} at ${url.origin}, which is not GitHub's API or upload host`,
            'Check GITHUB_API_URL; the token is only ever sent to the API host and its uploads host',
          ),
        );
      }
      headers.set('authorization', `Bearer ${options.token}`);
    }
    const response = await fetch(url, {
      ...init,
      headers,
      signal: AbortSignal.timeout(requestTimeout(options.timeoutMs)),
    });
    const read = await readBody(response, limits.maxBytes);
    if (!read.ok) {
      if (read.reason === 'too-large')
        throw new StopRequest(unusable(method, url.href, `more than ${limits.maxBytes} bytes`, options.token));
      throw new BodyProblem(`HTTP ${response.status} with a body that broke off (${networkReason(read.cause)})`);
    }
    if (method === 'GET' && response.ok && (headers.get('accept') ?? '').includes('json') && !isJSON(read.bytes)) {
      throw new BodyProblem(`HTTP ${response.status} with a body that is not JSON`);
    }
    return replay(response, read.bytes);
  };
}

// The token goes to the API's own origin and to its uploads sibling (api.github.com → uploads.github.com;
// GitHub Enterprise Server serves uploads under its own host), never to a host an answer names.
export function mayCarryToken(url: URL, apiUrl: string): boolean {
  const api = new URL(apiUrl);
  if (url.origin === api.origin) return true;
  const uploads = api.hostname.startsWith('api.') ? `uploads.${api.hostname.slice(4)}` : undefined;
  return url.protocol === 'https:' && api.protocol === 'https:' && url.hostname === uploads && url.port === api.port;
}

/** The bytes already read, as a Response octokit can read again (with the URL it was finally fetched from). */
function replay(response: Response, bytes: Buffer): Response {
  const empty = response.status === 204 || response.status === 205 || response.status === 304;
  const copy = new Response(empty ? null : new Uint8Array(bytes), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  Object.defineProperty(copy, 'url', { value: response.url });
  return copy;
}

function isJSON(bytes: Buffer): boolean {
  try {
    JSON.parse(bytes.toString('utf8'));
    return true;
  } catch {
    return false;
  }
}
