// A Rekor v1 log for the local Sigstore stack. The signing and Merkle/SET work is done by @sigstore/mock's
// `rekorHandler`; this file adds what the mock leaves out and the signing client relies on:
//  - the canonical form real Rekor stores for `dsse` 0.0.1 entries (the mock logs the proposal verbatim,
//    which @sigstore/verify rejects with "TLOG_BODY_ERROR: signature count mismatch"),
//  - 409 Conflict with a Location header when the same entry is submitted twice, and
//  - GET /api/v1/log/entries/{uuid}, so a client can fetch the existing entry after a 409.
import { createHash, createPublicKey, verify } from 'node:crypto';
import type { KeyObject, KeyPairKeyObjectResult } from 'node:crypto';
// Deep imports on purpose: the package's main entry loads nock, which would intercept every HTTP request in
// the process (including the signing client's).
import { initializeTLog, rekorHandler } from '@sigstore/mock/dist/rekor/index.js';
import { sendError, sendJSON } from './http.ts';
import type { Route } from './http.ts';

const ENTRIES_PATH = '/api/v1/log/entries';

// What a Rekor v1 API returns for an entry (`{uuid: LogEntry}` on the wire).
export interface RekorLogEntry {
  body: string;
  integratedTime: number;
  logID: string;
  logIndex: number;
  verification: {
    signedEntryTimestamp: string;
    inclusionProof: { logIndex: number; treeSize: number; rootHash: string; hashes: string[]; checkpoint: string };
  };
}

interface StoredEntry {
  uuid: string;
  entry: RekorLogEntry;
}

export interface RekorLog {
  route: Route;
  // DER SubjectPublicKeyInfo of the log's signing key.
  publicKey: Buffer;
  // Entries logged so far, in order; tests may inspect them.
  entries: StoredEntry[];
}

// RFC 8785 JSON canonicalization (sorted keys, ECMAScript number/string serialization). Rekor identifies an
// entry by its canonicalized body, so the same proposal must always map to the same key.
export function canonicalize(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalize(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalize(v)}`).join(',')}}`;
}

const sha256hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

class BadEntry extends Error {}

interface ProposedDSSE {
  apiVersion: string;
  kind: 'dsse';
  spec: { proposedContent: { envelope: string; verifiers: string[] } };
}

function isProposedDSSE(value: unknown): value is ProposedDSSE {
  const v = value as Partial<ProposedDSSE> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.kind === 'dsse' &&
    typeof v.spec?.proposedContent?.envelope === 'string' &&
    Array.isArray(v.spec.proposedContent.verifiers)
  );
}

// DSSE pre-authentication encoding; Rekor verifies every envelope signature over it before logging.
function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType);
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

// A verifier is a base64-encoded PEM certificate or public key.
function verifierKey(verifier: string): KeyObject {
  try {
    return createPublicKey(Buffer.from(verifier, 'base64').toString('utf8'));
  } catch {
    throw new BadEntry('verifier is not a PEM certificate or public key');
  }
}

// The digest Rekor pairs with each key type (ECDSA curve size decides; Ed25519 signs the message itself).
function hashFor(key: KeyObject): string | null {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'secp384r1') return 'sha384';
  if (curve === 'secp521r1') return 'sha512';
  return key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
}

// Rewrites a dsse 0.0.1 proposal into the form real Rekor stores:
// {envelopeHash, payloadHash, signatures: [{signature, verifier}]}, where envelopeHash is the SHA-256 of the
// envelope JSON exactly as submitted and payloadHash the SHA-256 of the decoded payload. Like Rekor, refuses
// an envelope whose signatures do not verify with the given verifiers.
export function canonicalDSSE(proposed: ProposedDSSE): object {
  const { envelope: envelopeJSON, verifiers } = proposed.spec.proposedContent;
  let envelope: { payloadType?: unknown; payload?: unknown; signatures?: unknown };
  try {
    envelope = JSON.parse(envelopeJSON) as typeof envelope;
  } catch {
    throw new BadEntry('envelope is not valid JSON');
  }
  const { payloadType, payload, signatures } = envelope;
  if (typeof payloadType !== 'string' || typeof payload !== 'string' || !Array.isArray(signatures) || signatures.length === 0) {
    throw new BadEntry('envelope must have payloadType, payload and at least one signature');
  }
  const payloadBytes = Buffer.from(payload, 'base64');
  const message = pae(payloadType, payloadBytes);
  const keys = verifiers.map((v) => ({ verifier: v, key: verifierKey(v) }));
  const canonicalSignatures = signatures.map((s: unknown) => {
    const sig = (s as { sig?: unknown } | null)?.sig;
    if (typeof sig !== 'string') throw new BadEntry('signature without sig');
    const match = keys.find(({ key }) => verify(hashFor(key), message, key, Buffer.from(sig, 'base64')));
    if (!match) throw new BadEntry('verifying signatures: no verifier matches a signature');
    return { signature: sig, verifier: match.verifier };
  });
  return {
    apiVersion: proposed.apiVersion,
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256hex(envelopeJSON) },
      payloadHash: { algorithm: 'sha256', value: sha256hex(payloadBytes) },
      signatures: canonicalSignatures,
    },
  };
}

export async function createRekorLog(baseURL: string, keyPair: KeyPairKeyObjectResult): Promise<RekorLog> {
  // The URL's host becomes the checkpoint origin; @sigstore/verify requires the trusted root's baseUrl to
  // contain it, so the log is created only once the server's port is known.
  const tlog = await initializeTLog(baseURL, keyPair);
  const logEntry = rekorHandler(tlog).fn;
  // Real Rekor v1 UUIDs are a 16-hex-digit tree ID followed by the 64-hex-digit Merkle leaf hash.
  const treeID = createHash('sha256').update(baseURL).digest('hex').slice(0, 16);
  const entries: StoredEntry[] = [];
  const byBody = new Map<string, Promise<StoredEntry>>();
  const byUUID = new Map<string, StoredEntry>();

  async function append(canonicalBody: string): Promise<StoredEntry> {
    const result = await logEntry(canonicalBody);
    if (result.statusCode !== 201 || typeof result.response !== 'string') {
      throw new BadEntry(typeof result.response === 'string' ? result.response : 'log failed');
    }
    const logged = Object.values(JSON.parse(result.response) as Record<string, RekorLogEntry>)[0];
    if (!logged) throw new Error('mock Rekor returned no entry');
    const leafHash = createHash('sha256').update(Buffer.from([0])).update(Buffer.from(logged.body, 'base64')).digest('hex');
    const stored = { uuid: treeID + leafHash, entry: logged };
    entries.push(stored);
    byUUID.set(stored.uuid, stored);
    byUUID.set(leafHash, stored);
    return stored;
  }

  const route: Route = async (req, body, res) => {
    const path = new URL(req.url ?? '/', baseURL).pathname;
    if (req.method === 'POST' && path === ENTRIES_PATH) {
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
        return sendError(res, 400, err instanceof Error ? err.message : String(err));
      }
      const existing = byBody.get(canonicalBody);
      if (existing) {
        const { uuid } = await existing;
        return sendError(res, 409, `an equivalent entry already exists in the transparency log with UUID ${uuid}`, {
          location: `${ENTRIES_PATH}/${uuid}`,
        });
      }
      // Registered before awaiting so that a concurrent duplicate sees it and answers 409.
      const pending = append(canonicalBody);
      byBody.set(canonicalBody, pending);
      try {
        const { uuid, entry } = await pending;
        return sendJSON(res, 201, { [uuid]: entry }, { location: `${ENTRIES_PATH}/${uuid}` });
      } catch (err) {
        byBody.delete(canonicalBody);
        return sendError(res, err instanceof BadEntry ? 400 : 500, err instanceof Error ? err.message : String(err));
      }
    }
    if (req.method === 'GET' && path.startsWith(`${ENTRIES_PATH}/`)) {
      const uuid = path.slice(ENTRIES_PATH.length + 1).toLowerCase();
      const stored = byUUID.get(uuid);
      if (!stored) return sendError(res, 404, `entry ${uuid} not found`);
      return sendJSON(res, 200, { [stored.uuid]: stored.entry });
    }
    return sendError(res, 404, `no route for ${req.method ?? '?'} ${path}`);
  };

  return { route, publicKey: tlog.publicKey, entries };
}
