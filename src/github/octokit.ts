// The Octokit every GitHub request goes through: @octokit/rest (requests, Link paging), with
// @octokit/plugin-throttling for GitHub's primary and secondary rate limits and @octokit/plugin-retry for
// 408/429/5xx answers and network failures, timed by our RetryPolicy (so tests and the test hook can
// shorten the waits). The fetch it uses is transport.ts, the only holder of the token.
//
// Order matters: throttling is applied before retry, so it sits inside it. A rate-limited answer is
// waited out by throttling (if GitHub asks for no more than the policy's longest wait); one it gives up
// on is marked `retries: 0`, so plugin-retry does not hammer a rate limit either, and it is reported
// with the wait GitHub asked for. A hook outside both turns whatever is left into a GitHubFailure.

import { Octokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { RequestError } from '@octokit/request-error';
import type { EndpointDefaults } from '@octokit/types';
import Bottleneck from 'bottleneck/light.js';
import { backoffWait, type RetryPolicy } from '../http/retry.ts';
import { unusable, type Answer } from './failure.ts';
import { gitHubFetch, StopRequest, type TransportOptions } from './transport.ts';
import { MAX_JSON_BYTES } from './limits.ts';

export const API_VERSION = '2022-11-28';
export const JSON_MEDIA_TYPE = 'application/vnd.github+json';

/** GitHub asks for at least a second between writes (POST, DELETE) from one client. */
export const WRITE_INTERVAL_MS = 1000;

const GitHubOctokit = Octokit.plugin(throttling, retry);

/**
 * The longest one request can take under `policy` (docs/retries.md, kept in step by a unit test): every
 * attempt running into its timeout, plugin-retry's waits (base × 1, 4, 9, …), and throttling's retries of
 * a rate limit, each waiting at most `maxDelayMs`.
 */
export function gitHubRequestWorstCaseMs(policy: RetryPolicy, retries = policy.attempts - 1): number {
  const limited = policy.attempts - 1;
  let waits = 0;
  for (let n = 1; n <= retries; n++) waits += n * n * policy.baseDelayMs;
  return (retries + 1 + limited) * policy.timeoutMs + waits + limited * policy.maxDelayMs;
}
export type GitHubOctokit = InstanceType<typeof GitHubOctokit>;

export interface OctokitOptions extends TransportOptions {
  retry: RetryPolicy;
  writeIntervalMs: number;
  /** Octokit's per-attempt lines (method, path, status, time): never headers, and octokit never has the token. */
  debug: (line: string) => void;
}

/** What octokit could not turn into a response: an HTTP answer it calls an error, or a failure below HTTP. */
export class GitHubFailure extends Error {
  override readonly name = 'GitHubFailure';
  readonly method: string;
  readonly url: string;
  /** Set when GitHub answered (a status >= 400); unset for a network failure or a body problem. */
  readonly answer: Answer | undefined;
  constructor(message: string, method: string, url: string, answer: Answer | undefined, cause: unknown) {
    super(message, { cause });
    this.method = method;
    this.url = url;
    this.answer = answer;
  }
}

export function createOctokit(options: OctokitOptions): GitHubOctokit {
  const { retry: policy, debug } = options;
  // The rate-limit wait (s) throttling gave up on, per request (the options object every hook shares).
  const gaveUp = new WeakMap<object, number>();
  const onLimit = (
    retryAfter: number,
    request: Required<EndpointDefaults>,
    _octokit: unknown,
    retryCount: number,
  ): boolean => {
    const wanted = retryAfter * 1000 <= policy.maxDelayMs && retryCount < policy.attempts - 1;
    if (wanted) {
      gaveUp.delete(request);
    } else {
      gaveUp.set(request, retryAfter);
      (request.request as { retries?: number }).retries = 0;
    }
    debug(
      `GitHub rate limit on ${request.method} ${request.url}: ${wanted ? `retrying in ${retryAfter} s` : `not waiting ${retryAfter} s`}`,
    );
    return wanted;
  };
  const octokit = new GitHubOctokit({
    baseUrl: options.apiUrl,
    userAgent: 'provenance-action',
    log: { debug, info: debug, warn: debug, error: debug },
    request: {
      fetch: gitHubFetch(options, { maxBytes: MAX_JSON_BYTES, anonymous: false }),
      parseSuccessResponseBody: false,
    },
    retry: { retries: policy.attempts - 1, retryAfterBaseValue: backoffWait(policy.baseDelayMs) },
    throttle: {
      retryAfterBaseValue: backoffWait(1000),
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.writeIntervalMs }),
      onRateLimit: onLimit,
      onSecondaryRateLimit: onLimit,
    },
  });
  octokit.hook.before('request', (request) => {
    request.headers['x-github-api-version'] = API_VERSION;
    if (request.headers.accept === 'application/vnd.github.v3+json') request.headers.accept = JSON_MEDIA_TYPE;
  });
  // Octokit would parse JSON by content type, with big integers as BigInt (which JSON.stringify refuses,
  // and an inline bundle is re-serialized). So bodies reach us unparsed (parseSuccessResponseBody: false)
  // and an answer to a request that asked for JSON is parsed here, whatever its content type, with
  // JSON.parse. A GET's answer that is a bare number, string or boolean is unusable, and refused before
  // octokit's paging reads it (it would throw a TypeError).
  octokit.hook.after('request', async (response, request) => {
    if (!(response.data instanceof ReadableStream) || !String(request.headers.accept).includes('json')) return;
    const data = parsedOrText(await new Response(response.data as ReadableStream<Uint8Array>).text());
    response.data = data;
    if (request.method !== 'GET' || data === null || typeof data === 'object') return;
    throw new StopRequest(unusable('GET', request.url, 'JSON that is neither an object nor a list', options.token));
  });
  octokit.hook.wrap('request', async (send, request) => {
    try {
      return await send(request);
    } catch (err) {
      throw failure(err, request, gaveUp.get(request));
    }
  });
  return octokit;
}

function parsedOrText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function failure(err: unknown, request: Required<EndpointDefaults>, rateLimitedFor: number | undefined): unknown {
  if (!(err instanceof RequestError)) return err; // StopRequest and anything unexpected go on as they are
  const method = err.request.method;
  const url = err.request.url;
  const attempts = Number((request.request as { retryCount?: unknown }).retryCount) || 1;
  if (err.response === undefined) return new GitHubFailure(err.message, method, url, undefined, err.cause ?? err);
  const headers = new Headers();
  for (const [name, value] of Object.entries(err.response.headers))
    if (value !== undefined) headers.set(name, String(value));
  const answer: Answer = {
    method,
    url,
    status: err.status,
    headers,
    data: err.response.data,
    attempts,
    rateLimitedFor,
  };
  return new GitHubFailure(err.message, method, url, answer, err);
}
