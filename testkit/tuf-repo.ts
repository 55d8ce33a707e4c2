// A small static TUF repository on 127.0.0.1, for the verify mode's TUF client (@sigstore/tuf, tuf-js):
// root, timestamp, snapshot and targets metadata with consistent snapshots (versioned metadata names,
// targets under their SHA-256), one target, trusted_root.json, and one generated ed25519 key per role.
// Signed as the TUF specification says, over the OLPC canonical JSON of `signed` with the key ids the
// specification defines, and written here rather than taken from @tufjs/repo-mock, whose main entry loads
// nock, which intercepts every HTTP request in the process (see /work/shared/notes/local-sigstore.md).
// A test can rotate the root, publish a new target, or serve what an attacker without the keys could.

import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { sendError, serve, type LoopbackServer } from './http.ts';

/**
 * OLPC canonical JSON, which TUF signs: keys sorted, no whitespace, integers only, and strings with only
 * `"` and `\` escaped (a PEM key keeps its raw newlines).
 */
export function olpcCanonical(value: unknown): string {
  if (typeof value === 'string') return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  if (typeof value === 'number' && !Number.isInteger(value))
    throw new TypeError(`canonical JSON has no floats: ${value}`);
  if (Array.isArray(value)) return `[${value.map(olpcCanonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((k) => `${olpcCanonical(k)}:${olpcCanonical(record[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

interface RoleKey {
  id: string;
  /** The key as root metadata lists it. */
  json: { keytype: 'ed25519'; scheme: 'ed25519'; keyval: { public: string } };
  privateKey: KeyObject;
}

function newKey(): RoleKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  // TUF's ed25519 public key is the 32 raw bytes in hex: the end of the SubjectPublicKeyInfo.
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const json = { keytype: 'ed25519' as const, scheme: 'ed25519' as const, keyval: { public: raw.toString('hex') } };
  return { id: createHash('sha256').update(olpcCanonical(json)).digest('hex'), json, privateKey };
}

function signed(body: Record<string, unknown>, keys: readonly RoleKey[]): Buffer {
  const data = Buffer.from(olpcCanonical(body));
  const signatures = keys.map((k) => ({ keyid: k.id, sig: sign(null, data, k.privateKey).toString('hex') }));
  return Buffer.from(JSON.stringify({ signatures, signed: body }, null, 1));
}

type Role = 'root' | 'targets' | 'snapshot' | 'timestamp';

export interface TufRepo {
  readonly url: string;
  /** Root version 1 (text): what a client pins. */
  readonly initialRoot: string;
  /** The paths asked for, in order. */
  readonly requests: readonly string[];
  /** A new trusted_root.json target: targets, snapshot and timestamp re-signed with higher versions. */
  publishTrustedRoot(text: string): void;
  /**
   * The next root version, with new root and targets keys, signed by the new root keys and (unless
   * `signedByOld: false`, which no client may accept) by the old ones; then targets, snapshot and
   * timestamp re-signed, and `trustedRoot` published if given.
   */
  rotateRoot(options?: { signedByOld?: boolean; trustedRoot?: string }): void;
  /** A new trusted_root.json whose targets metadata is signed by a key the root does not list. */
  publishForgedTrustedRoot(text: string): void;
  stop(): Promise<void>;
}

const SPEC_VERSION = '1.0.31';
const EXPIRES = '2100-01-01T00:00:00Z';

export async function startTufRepo(trustedRoot: string): Promise<TufRepo> {
  const files = new Map<string, Buffer>();
  const requests: string[] = [];
  const keys: Record<Role, RoleKey> = { root: newKey(), targets: newKey(), snapshot: newKey(), timestamp: newKey() };
  const versions: Record<Role, number> = { root: 0, targets: 0, snapshot: 0, timestamp: 0 };

  const publishRoot = (signers: readonly RoleKey[]): void => {
    versions.root++;
    const roles = Object.fromEntries(
      (Object.keys(keys) as Role[]).map((role) => [role, { keyids: [keys[role].id], threshold: 1 }]),
    );
    const body = {
      _type: 'root',
      spec_version: SPEC_VERSION,
      version: versions.root,
      expires: EXPIRES,
      consistent_snapshot: true,
      keys: Object.fromEntries(Object.values(keys).map((k) => [k.id, k.json])),
      roles,
    };
    files.set(`/${versions.root}.root.json`, signed(body, signers));
  };
  // Targets, then the snapshot naming its version, then the timestamp naming the snapshot's.
  const publishTarget = (text: string, targetsSigner: RoleKey): void => {
    const content = Buffer.from(text);
    const sha256 = createHash('sha256').update(content).digest('hex');
    files.set(`/targets/${sha256}.trusted_root.json`, content);
    const common = { spec_version: SPEC_VERSION, expires: EXPIRES };
    const targets = {
      _type: 'targets',
      ...common,
      version: ++versions.targets,
      targets: { 'trusted_root.json': { length: content.length, hashes: { sha256 } } },
    };
    files.set(`/${versions.targets}.targets.json`, signed(targets, [targetsSigner]));
    const snapshot = {
      _type: 'snapshot',
      ...common,
      version: ++versions.snapshot,
      meta: { 'targets.json': { version: versions.targets } },
    };
    files.set(`/${versions.snapshot}.snapshot.json`, signed(snapshot, [keys.snapshot]));
    const timestamp = {
      _type: 'timestamp',
      ...common,
      version: ++versions.timestamp,
      meta: { 'snapshot.json': { version: versions.snapshot } },
    };
    files.set('/timestamp.json', signed(timestamp, [keys.timestamp]));
  };

  publishRoot([keys.root]);
  const initialRoot = files.get('/1.root.json')?.toString('utf8') ?? '';
  let current = trustedRoot;
  publishTarget(current, keys.targets);

  const server: LoopbackServer = await serve((req, _body, res) => {
    const url = req.url ?? '/';
    requests.push(url);
    const file = req.method === 'GET' ? files.get(url) : undefined;
    if (file === undefined) return sendError(res, 404, `no ${url}`);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': file.length });
    res.end(file);
  });

  return {
    url: server.url,
    initialRoot,
    requests,
    publishTrustedRoot: (text) => {
      current = text;
      publishTarget(text, keys.targets);
    },
    rotateRoot: ({ signedByOld = true, trustedRoot: text } = {}) => {
      const old = keys.root;
      keys.root = newKey();
      keys.targets = newKey();
      publishRoot(signedByOld ? [old, keys.root] : [keys.root]);
      current = text ?? current;
      publishTarget(current, keys.targets);
    },
    publishForgedTrustedRoot: (text) => publishTarget(text, newKey()),
    stop: () => server.stop(),
  };
}
