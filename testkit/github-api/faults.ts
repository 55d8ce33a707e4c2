// Fault injection for the GitHub stand-in, one FIFO queue per endpoint so a test can break exactly the
// call it is about (a 503 on uploads only, a 429 on the release lookup) and leave the rest working.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { GARBAGE_BODY, SLOW_MS } from '../http.ts';

export const ENDPOINTS = [
  'release-by-tag',
  'list-assets',
  'upload-asset',
  'download-asset', // GET /repos/{o}/{r}/releases/assets/{id} (redirects to asset-storage)
  'asset-storage',
  'delete-asset',
  'post-attestation',
  'list-attestations',
  'attestation-storage', // a bundle_url
  'branch-rules', // GET /repos/{o}/{r}/rules/branches/{branch}
  'get-ruleset', // GET /repos/{o}/{r}/rulesets/{id}
  'branch-protection', // GET /repos/{o}/{r}/branches/{branch}/protection
  'commit-pulls', // GET /repos/{o}/{r}/commits/{sha}/pulls
  'pull-reviews', // GET /repos/{o}/{r}/pulls/{n}/reviews
] as const;

export type Endpoint = (typeof ENDPOINTS)[number];

export type GitHubFault =
  | number // answer with this status and GitHub's error body (a 429 carries retry-after: 0)
  | { status: number; headers?: Record<string, string>; message?: string }
  | 'reset' // drop the connection without an answer
  | 'lost-response' // do the work, then drop the connection instead of answering
  | 'interrupted-upload' // upload-asset: create the asset in state "starter", then drop the connection
  | { delayMs: number } // a slow answer: wait, then serve as usual
  | 'slow' // { delayMs: SLOW_MS }
  | 'timeout' // accept the request and never answer
  | 'garbage'; // answer 200 with a body that is not what the API says (an HTML page labelled JSON), not serving the request

export type FaultQueues = Record<Endpoint, GitHubFault[]>;

export function emptyQueues(): FaultQueues {
  return Object.fromEntries(ENDPOINTS.map((e) => [e, []])) as unknown as FaultQueues;
}

export function describeFault(fault: GitHubFault): string {
  if (typeof fault === 'number' || typeof fault === 'string') return String(fault);
  return 'delayMs' in fault ? `slow ${fault.delayMs} ms` : String(fault.status);
}

/** The wait before serving as usual that a fault asks for, or undefined. */
export function faultDelay(fault: GitHubFault): number | undefined {
  if (fault === 'slow') return SLOW_MS;
  return typeof fault === 'object' && 'delayMs' in fault ? fault.delayMs : undefined;
}

export function errorBody(status: number, message: string): object {
  return { message, documentation_url: 'https://docs.github.com/rest', status: String(status) };
}

/** Answers an HTTP-status fault; returns false for the kinds the route itself must act out. */
export function answerFault(fault: GitHubFault, req: IncomingMessage, res: ServerResponse): boolean {
  if (fault === 'reset') {
    req.socket.destroy();
    return true;
  }
  if (fault === 'timeout') return true; // never answered: the client's timeout, or the server's stop, ends it
  if (fault === 'garbage') {
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(GARBAGE_BODY),
    });
    res.end(GARBAGE_BODY);
    return true;
  }
  if (typeof fault === 'string' || (typeof fault === 'object' && 'delayMs' in fault)) return false;
  const status = typeof fault === 'number' ? fault : fault.status;
  const headers = typeof fault === 'number' ? (fault === 429 ? { 'retry-after': '0' } : {}) : (fault.headers ?? {});
  const message = typeof fault === 'object' && fault.message ? fault.message : `injected fault ${status}`;
  const body = JSON.stringify(errorBody(status, message));
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
  return true;
}
