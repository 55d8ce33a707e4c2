// A Rekor v1 transparency log for the local Sigstore stack. Written here rather than taken from
// @sigstore/mock, whose rekorHandler answers every entry as the only leaf of a one-leaf tree (logIndex 0,
// treeSize 1, no audit path): a shape that crashes some independent verifiers and leaves every Merkle and
// checkpoint check of ours untested. This log keeps one append-only RFC 6962 tree (log.ts, merkle.ts) and
// serves the parts of Rekor's API that clients rely on:
//  - POST /api/v1/log/entries, storing `dsse` 0.0.1 proposals in the canonical form real Rekor stores
//    (dsse.ts), answering 201 with a Location header;
//  - 409 Conflict with a Location header when the same entry is submitted twice (concurrently, too);
//  - GET /api/v1/log/entries/{uuid}, by the 80-digit UUID or the bare leaf hash, with a proof against
//    the tree as it is now, so a client can fetch the existing entry after a 409;
//  - GET /api/v1/log (the signed tree head) and GET /api/v1/log/publicKey.
import type { KeyPairKeyObjectResult } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { sendError, sendJSON } from '../http.ts';
import type { Route } from '../http.ts';
import { canonicalize } from './canonical-json.ts';
import { BadEntry, canonicalDSSE, isProposedDSSE } from './dsse.ts';
import { TransparencyLog, type LogInfo, type RekorLogEntry } from './log.ts';

export type { LogInfo, RekorLogEntry } from './log.ts';
export { canonicalize } from './canonical-json.ts';
export { canonicalDSSE } from './dsse.ts';

const LOG_PATH = '/api/v1/log';
const ENTRIES_PATH = `${LOG_PATH}/entries`;
const PUBLIC_KEY_PATH = `${LOG_PATH}/publicKey`;

// Entries the log holds before anyone submits one. A real log is never empty, and a bundle for the only
// leaf of a tree has an empty audit path that proves nothing and that some verifiers cannot handle;
// with these, even the first bundle a test makes has logIndex 5, a tree of 6 and a two-hash path.
export const SEED_ENTRIES = 5;

export interface StoredEntry {
  uuid: string;
  // As the POST answered it: the inclusion proof is against the tree right after it was appended.
  entry: RekorLogEntry;
}

export interface RekorLog {
  route: Route;
  // DER SubjectPublicKeyInfo of the log's signing key.
  publicKey: Buffer;
  // Entries logged so far, seed entries included, in log order (entries[i].entry.logIndex === i).
  entries: StoredEntry[];
  // The current tree: its size, root and signed checkpoint.
  info(): LogInfo;
}

const seedBody = (index: number): string =>
  canonicalize({ apiVersion: '0.0.1', kind: 'testkit-seed', spec: { index } });

/** The log served at `baseURL`: its host names the log in checkpoints, so create it once the port is known. */
export function createRekorLog(baseURL: string, keyPair: KeyPairKeyObjectResult): RekorLog {
  const log = new TransparencyLog(new URL(baseURL).host, keyPair);
  const entries: StoredEntry[] = [];
  const byBody = new Map<string, StoredEntry>();
  const byUUID = new Map<string, StoredEntry>();

  // Synchronous from the duplicate check to the map update, so a concurrent duplicate (a client's
  // retry racing its first attempt) cannot slip in between: it finds the first one and gets 409.
  function append(canonicalBody: string): StoredEntry {
    const body = Buffer.from(canonicalBody, 'utf8');
    const index = log.append(body);
    const uuid = log.uuidOf(body);
    const stored = { uuid, entry: log.entry(index) };
    entries.push(stored);
    byBody.set(canonicalBody, stored);
    byUUID.set(uuid, stored);
    byUUID.set(uuid.slice(-64), stored);
    return stored;
  }
  for (let i = 0; i < SEED_ENTRIES; i++) append(seedBody(i));

  function create(body: Buffer, res: ServerResponse): void {
    let proposed: unknown;
    try {
      proposed = JSON.parse(body.toString('utf8'));
    } catch {
      return sendError(res, 400, 'request body is not JSON');
    }
    let canonicalBody: string;
    try {
      canonicalBody = canonicalize(isProposedDSSE(proposed) ? canonicalDSSE(proposed) : proposed);
    } catch (err) {
      return sendError(res, err instanceof BadEntry ? 400 : 500, err instanceof Error ? err.message : String(err));
    }
    const existing = byBody.get(canonicalBody);
    if (existing) {
      return sendError(
        res,
        409,
        `an equivalent entry already exists in the transparency log with UUID ${existing.uuid}`,
        {
          location: `${ENTRIES_PATH}/${existing.uuid}`,
        },
      );
    }
    const { uuid, entry } = append(canonicalBody);
    sendJSON(res, 201, { [uuid]: entry }, { location: `${ENTRIES_PATH}/${uuid}` });
  }

  function fetchEntry(uuid: string, res: ServerResponse): void {
    const stored = byUUID.get(uuid.toLowerCase());
    if (!stored) return sendError(res, 404, `entry ${uuid} not found`);
    sendJSON(res, 200, { [stored.uuid]: log.entry(stored.entry.logIndex) });
  }

  function sendPublicKey(res: ServerResponse): void {
    const base64 = log.publicKey.toString('base64');
    const pem = `-----BEGIN PUBLIC KEY-----\n${(base64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END PUBLIC KEY-----\n`;
    res.writeHead(200, { 'content-type': 'application/x-pem-file', 'content-length': Buffer.byteLength(pem) });
    res.end(pem);
  }

  const route: Route = (req, body, res) => {
    const path = new URL(req.url ?? '/', baseURL).pathname;
    if (req.method === 'POST' && path === ENTRIES_PATH) return create(body, res);
    if (req.method === 'GET' && path.startsWith(`${ENTRIES_PATH}/`))
      return fetchEntry(path.slice(ENTRIES_PATH.length + 1), res);
    if (req.method === 'GET' && path === LOG_PATH) return sendJSON(res, 200, log.info());
    if (req.method === 'GET' && path === PUBLIC_KEY_PATH) return sendPublicKey(res);
    return sendError(res, 404, `no route for ${req.method ?? '?'} ${path}`);
  };

  return { route, publicKey: log.publicKey, entries, info: () => log.info() };
}
