// Fault injection for the GitHub stand-in, one FIFO queue per endpoint so a test can break exactly the
// call it is about (a 503 on uploads only, a 429 on the release lookup) and leave the rest working.

import type { IncomingMessage, ServerResponse } from 'node:http';

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
] as const;

export type Endpoint = (typeof ENDPOINTS)[number];

export type GitHubFault =
  | number // answer with this status and GitHub's error body (a 429 carries retry-after: 0)
  | { status: number; headers?: Record<string, string>; message?: string }
  | 'reset' // drop the connection without an answer
  | 'lost-response' // do the work, then drop the connection instead of answering
  | 'interrupted-upload' // upload-asset: create the asset in state "starter", then drop the connection
  | { delayMs: number }; // a slow answer: wait, then serve as usual

export type FaultQueues = Record<Endpoint, GitHubFault[]>;

export function emptyQueues(): FaultQueues {
  return Object.fromEntries(ENDPOINTS.map((e) => [e, []])) as unknown as FaultQueues;
}

export function describeFault(fault: GitHubFault): string {
  if (typeof fault === 'number' || typeof fault === 'string') return String(fault);
  return 'delayMs' in fault ? `slow ${fault.delayMs} ms` : String(fault.status);
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
  if (typeof fault === 'string' || (typeof fault === 'object' && 'delayMs' in fault)) return false;
  const status = typeof fault === 'number' ? fault : fault.status;
  const headers = typeof fault === 'number' ? (fault === 429 ? { 'retry-after': '0' } : {}) : (fault.headers ?? {});
  const message = typeof fault === 'object' && fault.message ? fault.message : `injected fault ${status}`;
  const body = JSON.stringify(errorBody(status, message));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
  return true;
}
