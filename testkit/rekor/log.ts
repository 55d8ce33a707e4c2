// The local Rekor's log proper: entries appended to one Merkle tree (merkle.ts), each handed out as
// Rekor v1 hands it out: its position, its integration time, a signed entry timestamp (SET), and an
// inclusion proof whose checkpoint is a note signed by the log key in the format Rekor v1 writes
// (rekor/pkg/util: checkpoint.go, signed_note.go). The HTTP API around it is index.ts.
import { createHash, randomBytes, sign } from 'node:crypto';
import type { KeyObject, KeyPairKeyObjectResult } from 'node:crypto';
import { canonicalize } from './canonical-json.ts';
import { leafHash, MerkleTree } from './merkle.ts';

// What a Rekor v1 API returns for an entry (`{uuid: LogEntry}` on the wire); hashes in hex.
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

// Rekor v1's LogInfo (GET /api/v1/log), without the inactive shards a one-shard log has none of.
export interface LogInfo {
  rootHash: string;
  treeSize: number;
  signedTreeHead: string;
  treeID: string;
}

interface Logged {
  body: Buffer;
  integratedTime: number;
  signedEntryTimestamp: string;
}

export class TransparencyLog {
  /** DER SubjectPublicKeyInfo of the log key. */
  readonly publicKey: Buffer;
  /** Hex SHA-256 of the public key: the log ID in every entry and SET. */
  readonly logID: string;
  /** Decimal, like Trillian's int64 tree IDs; in hex, the first 16 digits of every entry UUID. */
  readonly treeID: string;
  private readonly host: string;
  private readonly privateKey: KeyObject;
  private readonly tree = new MerkleTree();
  private readonly logged: Logged[] = [];
  private head: { size: number; note: string } | undefined;

  /** `host` (the log URL's host:port) names the log in its checkpoints, as Rekor's hostname does. */
  constructor(host: string, keyPair: KeyPairKeyObjectResult) {
    this.host = host;
    this.privateKey = keyPair.privateKey;
    this.publicKey = keyPair.publicKey.export({ format: 'der', type: 'spki' });
    this.logID = createHash('sha256').update(this.publicKey).digest('hex');
    this.treeID = (randomBytes(8).readBigUInt64BE() >> 1n).toString();
  }

  get size(): number {
    return this.tree.size;
  }

  /** The entry UUID Rekor v1 gives a body: the tree ID in 16 hex digits, then the leaf hash. */
  uuidOf(body: Buffer): string {
    return BigInt(this.treeID).toString(16).padStart(16, '0') + leafHash(body).toString('hex');
  }

  /** Logs `body` (already canonical) now; returns its index. */
  append(body: Buffer): number {
    const logIndex = this.tree.size;
    const integratedTime = Math.floor(Date.now() / 1000);
    // The SET: the log's signature over the canonical JSON of these four fields, which is what a
    // verifier (sigstore-js' verifyTLogSET) rebuilds from the bundle.
    const promise = canonicalize({ body: body.toString('base64'), integratedTime, logID: this.logID, logIndex });
    const signedEntryTimestamp = sign('sha256', Buffer.from(promise, 'utf8'), this.privateKey).toString('base64');
    this.tree.append(leafHash(body));
    this.logged.push({ body, integratedTime, signedEntryTimestamp });
    return logIndex;
  }

  /** Entry `index` with its inclusion proof against the tree as it is now, as Rekor answers for it. */
  entry(index: number): RekorLogEntry {
    const logged = this.logged[index];
    if (!logged) throw new RangeError(`no entry ${index} in a log of ${this.size}`);
    const treeSize = this.tree.size;
    return {
      body: logged.body.toString('base64'),
      integratedTime: logged.integratedTime,
      logID: this.logID,
      logIndex: index,
      verification: {
        signedEntryTimestamp: logged.signedEntryTimestamp,
        inclusionProof: {
          logIndex: index,
          treeSize,
          rootHash: this.tree.rootHash(treeSize).toString('hex'),
          hashes: this.tree.inclusionProof(index, treeSize).map((h) => h.toString('hex')),
          checkpoint: this.signedTreeHead(),
        },
      },
    };
  }

  info(): LogInfo {
    return {
      rootHash: this.tree.rootHash().toString('hex'),
      treeSize: this.size,
      signedTreeHead: this.signedTreeHead(),
      treeID: this.treeID,
    };
  }

  // The checkpoint for the current tree, signed once per size so that every answer for one tree size
  // carries the same note (ECDSA signatures differ each time).
  private signedTreeHead(): string {
    const size = this.tree.size;
    if (this.head?.size !== size) this.head = { size, note: this.signNote(size) };
    return this.head.note;
  }

  // "<host> - <treeID>\n<size>\n<base64 root>\nTimestamp: <ns>\n", a blank line, then one signature line
  // "— <host> <base64(key hint ‖ ECDSA signature)>\n", where the key hint is the first 4 bytes of the
  // SHA-256 of the key's SPKI, i.e. of the log ID. Verifiers find the key by that hint and require the
  // log's URL to contain the name.
  private signNote(size: number): string {
    const timestamp = BigInt(Date.now()) * 1_000_000n;
    const note = `${this.host} - ${this.treeID}\n${size}\n${this.tree.rootHash(size).toString('base64')}\nTimestamp: ${timestamp}\n`;
    const signature = sign('sha256', Buffer.from(note, 'utf8'), this.privateKey);
    const hint = Buffer.from(this.logID, 'hex').subarray(0, 4);
    return `${note}\n\u2014 ${this.host} ${Buffer.concat([hint, signature]).toString('base64')}\n`;
  }
}
