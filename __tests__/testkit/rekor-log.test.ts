// The local Rekor keeps one real, growing Merkle tree (testkit/rekor/): bundles the stack signs carry
// their true log index, a tree of more than one leaf and a non-empty audit path; each proof and
// checkpoint verifies with an independent RFC 9162 verifier (./rfc9162.ts) and with our verify paths
// (verifyBundleCrypto and verifyBundleFast), also after the log has grown past them; an altered path
// hash, tree size or checkpoint signature fails check `tlog` on both paths; a proof fetched later
// (with right-hand siblings, which a just-appended leaf never has) verifies too; and the log's own
// endpoints (tree head, public key, duplicates) agree with what it handed out.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { SerializedBundle } from '@sigstore/bundle';
import { verifyBundleCrypto } from '../../src/verify/crypto/index.ts';
import { verifyBundleFast } from '../../src/verify/fast/fast-path.ts';
import { createTrust, validateTrustedRoot, type Trust } from '../../src/verify/trust/index.ts';
import { VerificationError } from '../../src/verify/types.ts';
import { startLocalServices, type LocalServices, type TransparencyLogInstanceJSON } from '../../testkit/index.ts';
import { SEED_ENTRIES, type LogInfo, type RekorLogEntry } from '../../testkit/rekor/index.ts';
import { provenanceStatement, signStatement } from '../../testkit/sign.ts';
import { hashLeaf, readCheckpoint, verifyInclusion } from './rfc9162.ts';

type Entry = SerializedBundle['verificationMaterial']['tlogEntries'][number];
type Proof = NonNullable<Entry['inclusionProof']>;

const BUNDLES = 3;
const sha256hex = (text: string): string => createHash('sha256').update(text).digest('hex');
const fromBase64 = (text: string): Buffer => Buffer.from(text, 'base64');

function entryOf(bundle: SerializedBundle): Entry & { inclusionProof: Proof } {
  const entry = bundle.verificationMaterial.tlogEntries[0];
  assert.ok(entry?.inclusionProof, 'a log entry with an inclusion proof');
  return entry as Entry & { inclusionProof: Proof };
}

/** The bundle with its inclusion proof edited (a deep copy; the original is left alone). */
function withProof(bundle: SerializedBundle, edit: (proof: Proof) => void): SerializedBundle {
  const copy = structuredClone(bundle);
  edit(entryOf(copy).inclusionProof);
  return copy;
}

/** One bit of a base64 value flipped, from byte `from` on (a signature line keeps its 4-byte key hint). */
function flipBit(base64: string, from = 0): string {
  const bytes = fromBase64(base64);
  const at = from + Math.floor((bytes.length - from) / 2);
  bytes[at] = (bytes[at] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

function alterCheckpointSignature(proof: Proof): void {
  proof.checkpoint.envelope = proof.checkpoint.envelope.replace(
    /^(\u2014 \S+ )(\S+)$/m,
    (_line, head: string, sig: string) => head + flipBit(sig, 4),
  );
}

/** An independent check of an entry: its SET, checkpoint and RFC 9162 inclusion proof against `log`. */
function verifyIndependently(entry: Entry & { inclusionProof: Proof }, log: TransparencyLogInstanceJSON): void {
  const proof = entry.inclusionProof;
  const body = fromBase64(entry.canonicalizedBody);
  const key = createPublicKey({ key: fromBase64(log.publicKey.rawBytes), format: 'der', type: 'spki' });
  const promise = `{"body":"${entry.canonicalizedBody}","integratedTime":${entry.integratedTime},"logID":"${fromBase64(log.logId.keyId).toString('hex')}","logIndex":${entry.logIndex}}`;
  assert.ok(
    verify('sha256', Buffer.from(promise), key, fromBase64(entry.inclusionPromise?.signedEntryTimestamp ?? '')),
    'SET',
  );
  const checkpoint = readCheckpoint(proof.checkpoint.envelope, log);
  assert.equal(checkpoint.size, BigInt(proof.treeSize));
  assert.ok(checkpoint.root.equals(fromBase64(proof.rootHash)));
  assert.equal(proof.logIndex, entry.logIndex);
  assert.ok(
    verifyInclusion(
      BigInt(proof.logIndex),
      checkpoint.size,
      hashLeaf(body),
      proof.hashes.map(fromBase64),
      checkpoint.root,
    ),
    `inclusion of ${entry.logIndex}`,
  );
}

void describe('the local Rekor keeps a real Merkle tree', () => {
  let services: LocalServices;
  let trust: Trust;
  let log: TransparencyLogInstanceJSON;
  const bundles: SerializedBundle[] = [];

  const rekorGet = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${services.sigstore.rekorURL}${path}`);
    assert.equal(res.status, 200, path);
    return (await res.json()) as T;
  };
  const post = (body: unknown): Promise<Response> =>
    fetch(`${services.sigstore.rekorURL}/api/v1/log/entries`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const hashedRekord = (text: string): object => ({
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: { data: { hash: { algorithm: 'sha256', value: sha256hex(text) } } },
  });

  before(async () => {
    services = await startLocalServices();
    trust = createTrust([validateTrustedRoot(structuredClone(services.sigstore.trustedRoot), 'the local stack')]);
    const [first] = services.sigstore.trustedRoot.tlogs;
    assert.ok(first);
    log = first;
    for (let i = 0; i < BUNDLES; i++) {
      const subjects = [{ name: `release-${i}.tar.gz`, digest: { sha256: sha256hex(`release ${i}`) } }];
      bundles.push(await signStatement(services, provenanceStatement(services, subjects)));
    }
  });
  after(() => services.stop());

  void it('gives each bundle its real place: consecutive indexes after the seed entries, trees of more than one leaf, non-empty paths', () => {
    bundles.forEach((bundle, i) => {
      const entry = entryOf(bundle);
      const proof = entry.inclusionProof;
      assert.equal(entry.logIndex, String(SEED_ENTRIES + i));
      assert.equal(proof.logIndex, entry.logIndex);
      // Proved against the tree right after it was appended.
      assert.equal(proof.treeSize, String(SEED_ENTRIES + i + 1));
      assert.ok(Number(entry.logIndex) > 0 && Number(proof.treeSize) > 1);
      assert.ok(proof.hashes.length > 0, `bundle ${i} has an audit path`);
    });
  });

  void it('hands out proofs, checkpoints and SETs an independent RFC 9162 verifier accepts', () => {
    for (const bundle of bundles) verifyIndependently(entryOf(bundle), log);
  });

  void it('passes every bundle by our full and fast paths, older proofs too after the log has grown', async () => {
    for (let i = 0; i < 4; i++) assert.equal((await post(hashedRekord(`growth ${i}`))).status, 201);
    const { treeSize } = await rekorGet<LogInfo>('/api/v1/log');
    for (const [i, bundle] of bundles.entries()) {
      assert.ok(
        Number(entryOf(bundle).inclusionProof.treeSize) < treeSize,
        `bundle ${i}'s proof is from a smaller tree`,
      );
      const full = verifyBundleCrypto(bundle, trust);
      const fast = verifyBundleFast(bundle, trust);
      assert.ok(fast, `bundle ${i} takes the fast path`);
      assert.deepStrictEqual(fast, full);
      verifyIndependently(entryOf(bundle), log);
    }
  });

  void describe('refuses a broken proof with check tlog, on both paths', () => {
    const refuses = (bundle: SerializedBundle, label: string): void => {
      assert.equal(verifyBundleFast(bundle, trust), undefined, `${label}: the fast path must not pass it`);
      assert.throws(
        () => verifyBundleCrypto(bundle, trust),
        (err: unknown) => err instanceof VerificationError && err.failure.check === 'tlog',
        `${label}: the full path must fail it with check tlog`,
      );
    };

    void it('an altered audit-path hash (each one), a dropped one, or two swapped', () => {
      for (const [i, bundle] of bundles.entries()) {
        const { hashes } = entryOf(bundle).inclusionProof;
        hashes.forEach((_, h) => {
          const altered = withProof(bundle, (p) => (p.hashes[h] = flipBit(p.hashes[h] ?? '')));
          assert.throws(() => verifyIndependently(entryOf(altered), log), /inclusion/);
          refuses(altered, `bundle ${i}, hash ${h} altered`);
        });
        refuses(
          withProof(bundle, (p) => p.hashes.pop()),
          `bundle ${i}, last hash dropped`,
        );
        if (hashes.length > 1)
          refuses(
            withProof(bundle, (p) => p.hashes.reverse()),
            `bundle ${i}, hashes reversed`,
          );
      }
    });

    void it('a wrong tree size: in the plain copy alone, or in the checkpoint too', () => {
      for (const [i, bundle] of bundles.entries()) {
        const size = Number(entryOf(bundle).inclusionProof.treeSize);
        refuses(
          withProof(bundle, (p) => (p.treeSize = String(size + 1))),
          `bundle ${i}, treeSize + 1`,
        );
        refuses(
          withProof(bundle, (p) => (p.treeSize = String(size - 1))),
          `bundle ${i}, treeSize - 1`,
        );
        const resized = withProof(bundle, (p) => {
          p.treeSize = String(size + 1);
          p.checkpoint.envelope = p.checkpoint.envelope.replace(`\n${size}\n`, `\n${size + 1}\n`);
        });
        assert.notEqual(
          entryOf(resized).inclusionProof.checkpoint.envelope,
          entryOf(bundle).inclusionProof.checkpoint.envelope,
        );
        refuses(resized, `bundle ${i}, treeSize + 1 in the proof and its checkpoint`);
      }
    });

    void it('a checkpoint whose signature is altered', () => {
      for (const [i, bundle] of bundles.entries()) {
        const altered = withProof(bundle, alterCheckpointSignature);
        assert.throws(
          () => readCheckpoint(entryOf(altered).inclusionProof.checkpoint.envelope, log),
          /does not verify/,
        );
        refuses(altered, `bundle ${i}, checkpoint signature altered`);
      }
    });
  });

  void it('answers GET for an old entry with a proof against today’s tree, which verifies in its bundle', async () => {
    const [oldest] = bundles;
    assert.ok(oldest);
    const leaf = hashLeaf(fromBase64(entryOf(oldest).canonicalizedBody)).toString('hex');
    const answer = await rekorGet<Record<string, RekorLogEntry>>(`/api/v1/log/entries/${leaf}`);
    const [fetched] = Object.values(answer);
    assert.ok(fetched);
    const info = await rekorGet<LogInfo>('/api/v1/log');
    const { inclusionProof } = fetched.verification;
    assert.equal(inclusionProof.treeSize, info.treeSize);
    assert.equal(inclusionProof.rootHash, info.rootHash);
    const refreshed = withProof(oldest, (p) => {
      p.treeSize = String(inclusionProof.treeSize);
      p.rootHash = Buffer.from(inclusionProof.rootHash, 'hex').toString('base64');
      p.hashes = inclusionProof.hashes.map((h) => Buffer.from(h, 'hex').toString('base64'));
      p.checkpoint.envelope = inclusionProof.checkpoint;
    });
    verifyIndependently(entryOf(refreshed), log);
    const fast = verifyBundleFast(refreshed, trust);
    assert.ok(fast);
    assert.deepStrictEqual(fast, verifyBundleCrypto(refreshed, trust));
    // The proof of a leaf that is no longer the last has siblings on its right: their order matters.
    assert.ok(inclusionProof.hashes.length > entryOf(oldest).inclusionProof.hashes.length);
    assert.equal(
      verifyBundleFast(
        withProof(refreshed, (p) => p.hashes.reverse()),
        trust,
      ),
      undefined,
    );
  });

  void it('serves its tree head and public key as Rekor does, consistent with the entries it handed out', async () => {
    const info = await rekorGet<LogInfo>('/api/v1/log');
    const newest = await post(hashedRekord('newest'));
    assert.equal(newest.status, 201);
    const location = newest.headers.get('location') ?? '';
    const [entry] = Object.values((await newest.json()) as Record<string, RekorLogEntry>);
    assert.ok(entry);
    assert.equal(entry.logIndex, info.treeSize);
    const after = await rekorGet<LogInfo>('/api/v1/log');
    assert.equal(after.treeSize, info.treeSize + 1);
    assert.equal(after.rootHash, entry.verification.inclusionProof.rootHash);
    assert.equal(after.signedTreeHead, entry.verification.inclusionProof.checkpoint);
    const head = readCheckpoint(after.signedTreeHead, log);
    assert.equal(head.size, BigInt(after.treeSize));
    assert.equal(head.root.toString('hex'), after.rootHash);
    assert.equal(head.origin, `${new URL(services.sigstore.rekorURL).host} - ${after.treeID}`);
    // An entry UUID is the tree ID in 16 hex digits, then the leaf hash.
    assert.equal(location.slice(-80, -64), BigInt(after.treeID).toString(16).padStart(16, '0'));

    const pem = await fetch(`${services.sigstore.rekorURL}/api/v1/log/publicKey`);
    assert.equal(pem.status, 200);
    const spki = createPublicKey(await pem.text()).export({ format: 'der', type: 'spki' });
    assert.equal(spki.toString('base64'), log.publicKey.rawBytes);
  });

  void it('logs one of several concurrent identical submissions and answers the rest 409 with its Location', async () => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => post(hashedRekord('submitted five times at once'))),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409, 409, 409, 409]);
    assert.equal(new Set(answers.map((a) => a.headers.get('location'))).size, 1);
  });
});
