// A transparency log whose key the test holds: it logs a bundle's entry again — any body, integrated
// time, log index, Merkle tree and checkpoint note — with a valid inclusion promise and a signed
// checkpoint, so that each rule about a log entry can be tested alone while everything else about
// the bundle still verifies. The trusted root is the bundle's own with this log in place of its log.
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

type Json = Record<string, unknown>;

export interface TestLog {
  logID: Buffer;
  spki: Buffer;
  privateKey: KeyObject;
  /** The checkpoint signer's name: the log's host:port, which its base URL contains. */
  name: string;
}

export function testLog(baseUrl: string): TestLog {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return { logID: sha256(spki), spki, privateKey, name: new URL(baseUrl).host };
}

/** `root` (trusted root JSON) trusting `log` instead of its first log, with the same validity unless given. */
export function rootWithLog(root: Json, log: TestLog, validFor?: { start: string; end?: string }): Json {
  const copy = structuredClone(root);
  const [first] = copy['tlogs'] as Json[];
  if (!first) throw new Error('root without a log');
  const key = first['publicKey'] as Json;
  key['rawBytes'] = log.spki.toString('base64');
  if (validFor) key['validFor'] = validFor;
  first['logId'] = { keyId: log.logID.toString('base64') };
  return copy;
}

export interface Relog {
  body?: Buffer;
  /** As the bundle's JSON holds them (strings, or numbers to test that spelling). */
  integratedTime?: string | number;
  logIndex?: string | number;
  kind?: string;
  version?: string;
  treeSize?: number;
  /** The entry's leaf index in the tree. */
  index?: number;
  /** The note's lines after origin, size and root hash (Rekor writes a timestamp line). */
  extraLines?: string[];
  /** Rewrites the note before it is signed; `plain` rewrites the proof's plain fields after. */
  note?: (note: string) => string;
  /** The signature lines below the note, given the one a real log writes. */
  signatures?: (line: string, note: string) => string;
  /** Last edits to the new inclusion proof (the plain copies, hashes, index spelling). */
  proof?: (proof: Json) => void;
}

/** The bundle with its (single) log entry logged again in `log`, changed as `change` says. */
export function relog(bundle: unknown, log: TestLog, change: Relog = {}): Json {
  const copy = structuredClone(bundle) as Json;
  const entry = ((copy['verificationMaterial'] as Json)['tlogEntries'] as Json[])[0];
  if (!entry) throw new Error('bundle without a log entry');
  const body = change.body ?? Buffer.from(entry['canonicalizedBody'] as string, 'base64');
  const integratedTime = change.integratedTime ?? (entry['integratedTime'] as string);
  const logIndex = change.logIndex ?? (entry['logIndex'] as string);
  const size = change.treeSize ?? 1;
  const index = change.index ?? 0;
  const leaves = Array.from({ length: size }, (_, i) =>
    i === index ? leafHash(body) : sha256(Buffer.from(`other leaf ${i}`)),
  );
  const root = treeHash(leaves);
  const hashes = auditPath(index, leaves);

  let note =
    [
      `${log.name} - 1234567890`,
      String(size),
      root.toString('base64'),
      ...(change.extraLines ?? ['Timestamp: 1795376854000000000']),
    ].join('\n') + '\n';
  if (change.note) note = change.note(note);
  const signature = sign('sha256', Buffer.from(note, 'utf8'), log.privateKey);
  const line = `\u2014 ${log.name} ${Buffer.concat([log.logID.subarray(0, 4), signature]).toString('base64')}\n`;
  const envelope = `${note}\n${change.signatures ? change.signatures(line, note) : line}`;

  const set = `{"body":"${body.toString('base64')}","integratedTime":${Number(integratedTime)},"logID":"${log.logID.toString('hex')}","logIndex":${Number(logIndex)}}`;
  entry['logIndex'] = logIndex;
  entry['integratedTime'] = integratedTime;
  entry['logId'] = { keyId: log.logID.toString('base64') };
  if (change.kind !== undefined || change.version !== undefined) {
    const kindVersion = entry['kindVersion'] as Json;
    entry['kindVersion'] = {
      kind: change.kind ?? kindVersion['kind'],
      version: change.version ?? kindVersion['version'],
    };
  }
  entry['canonicalizedBody'] = body.toString('base64');
  entry['inclusionPromise'] = {
    signedEntryTimestamp: sign('sha256', Buffer.from(set, 'utf8'), log.privateKey).toString('base64'),
  };
  const proof: Json = {
    logIndex: String(index),
    rootHash: root.toString('base64'),
    treeSize: String(size),
    hashes: hashes.map((h) => h.toString('base64')),
    checkpoint: { envelope },
  };
  change.proof?.(proof);
  entry['inclusionProof'] = proof;
  return copy;
}

const sha256 = (...parts: Buffer[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};
const leafHash = (data: Buffer): Buffer => sha256(Buffer.from([0]), data);
const nodeHash = (left: Buffer, right: Buffer): Buffer => sha256(Buffer.from([1]), left, right);
// The largest power of two below n (n > 1).
const split = (n: number): number => 2 ** Math.floor(Math.log2(n - 1));

// RFC 6962, 2.1: the Merkle tree hash of leaf hashes, and the audit path of leaf m (lowest level first).
function treeHash(leaves: Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0] ?? Buffer.alloc(0);
  const k = split(leaves.length);
  return nodeHash(treeHash(leaves.slice(0, k)), treeHash(leaves.slice(k)));
}

function auditPath(m: number, leaves: Buffer[]): Buffer[] {
  if (leaves.length <= 1) return [];
  const k = split(leaves.length);
  return m < k
    ? [...auditPath(m, leaves.slice(0, k)), treeHash(leaves.slice(k))]
    : [...auditPath(m - k, leaves.slice(k)), treeHash(leaves.slice(0, k))];
}
