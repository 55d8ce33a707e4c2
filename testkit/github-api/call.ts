// What every route of the stand-in shares: the settings a test can change, the call a handler gets,
// the route shape, and the answer helpers (which drop the answer when a 'lost-response' fault says so).
// The routes themselves, shaped as GitHub's REST documentation describes, are in release-routes.ts and
// attestation-routes.ts.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody, type Endpoint } from './faults.ts';
import type { Model } from './model.ts';

export interface StandInSettings {
  token: string;
  serverUrl: string;
  maxPerPage: number; // GitHub's is 100; lower it to make short lists span pages
  // "private-no-plan": a private repository whose plan lacks artifact attestations (403 on POST and GET).
  attestations: 'available' | 'private-no-plan';
  inlineBundles: boolean; // list entries carry `bundle` inline, or only `bundle_url`
  assetDigests: boolean; // assets carry `digest: sha256:<hex>` (newer GitHub versions)
}

export interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  body: Buffer;
  url: URL;
  params: string[];
  base: string; // the stand-in's own origin
  lost: boolean; // the answer is to be dropped (a 'lost-response' fault)
  interrupted: boolean; // an 'interrupted-upload' fault
}

export interface Route {
  method: string;
  pattern: RegExp;
  endpoint: Endpoint;
  needsToken: boolean; // storage URLs are pre-signed in GitHub: no token
  /** The pattern's first capture is OWNER/REPO: an unknown repository is answered 404 before `handle` runs. */
  inRepository: boolean;
  handle: (call: Call) => void;
}

export const REPO = '([^/]+/[^/]+)';

export function repoKnown(model: Model, call: Call, repo: string): boolean {
  if (model.repositories.has(repo.toLowerCase())) return true;
  sendJSON(call, 404, errorBody(404, 'Not Found'));
  return false;
}

export function perPage(url: URL, max: number): number {
  const asked = Number(url.searchParams.get('per_page')) || 30; // GitHub's default page size
  return Math.min(Math.max(1, asked), max);
}

export function sendJSON(call: Call, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(call, status, Buffer.from(JSON.stringify(value)), {
    'content-type': 'application/json; charset=utf-8',
    ...headers,
  });
}

export function send(call: Call, status: number, body: Buffer, headers: Record<string, string>): void {
  if (call.lost) {
    // The work is done; the client never hears of it.
    call.req.socket.destroy();
    return;
  }
  call.res.writeHead(status, { 'content-length': body.length, ...headers });
  call.res.end(body);
}
