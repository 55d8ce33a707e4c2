// The worker pool decides exactly as this thread does: one mixed set of good and broken bundles
// (the conformance cases on the public-good root, each by artifact and by digest, and tampered
// copies of the good ones) checked in-process and through worker threads, with and without this
// thread as a lane, gives the same VerifiedBundle or the same CheckFailure for every bundle, in
// order. An error that is not a verdict (a key that is not a key) is thrown alike. Workers started
// ahead of a run (prestartCryptoWorkers) are used by it, or ended.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ProvenanceError } from '../../../src/common/errors.ts';
import type { CryptoJob, CryptoResult } from '../../../src/verify/workers/crypto-jobs.ts';
import { prestartCryptoWorkers, runCryptoJobs } from '../../../src/verify/workers/crypto-pool.ts';
import type { Trust } from '../../../src/verify/trust/index.ts';
import { CORPUS, casePath, publicGoodTrust } from '../crypto/corpus.ts';

// Flips one bit of a base64 field, at a fraction of its length.
function flip(b64: string, at = 0.5): string {
  const bytes = Buffer.from(b64, 'base64');
  const i = Math.floor(bytes.length * at);
  bytes[i] = (bytes[i] ?? 0) ^ 0x01;
  return bytes.toString('base64');
}

// The parts of a bundle the edits touch; an edit that finds its part missing throws and is skipped.
interface Editable {
  mediaType: string;
  verificationMaterial: {
    certificate?: { rawBytes: string };
    tlogEntries: {
      integratedTime: string;
      logIndex: string;
      canonicalizedBody: string;
      inclusionPromise?: { signedEntryTimestamp: string };
    }[];
  };
  dsseEnvelope?: { signatures: { sig: string }[] };
  messageSignature?: { signature: string };
}
const need = <T>(part: T | undefined): T => part ?? assert.fail('not in this bundle');
const certificate = (b: Editable): { rawBytes: string } => need(b.verificationMaterial.certificate);
const entry = (b: Editable): Editable['verificationMaterial']['tlogEntries'][number] =>
  need(b.verificationMaterial.tlogEntries[0]);

// Tampered copies of a good bundle: each edit breaks a different check (or the format).
const TAMPERS: [string, (b: Editable) => void][] = [
  ['certificate bytes', (b) => (certificate(b).rawBytes = flip(certificate(b).rawBytes, 0.3))],
  ['certificate signature', (b) => (certificate(b).rawBytes = flip(certificate(b).rawBytes, 0.99))],
  ['integrated time', (b) => (entry(b).integratedTime = String(Number(entry(b).integratedTime) + 1))],
  ['log index', (b) => (entry(b).logIndex = String(Number(entry(b).logIndex) + 1))],
  ['log entry body', (b) => (entry(b).canonicalizedBody = flip(entry(b).canonicalizedBody, 0.4))],
  [
    'inclusion promise',
    (b) => {
      const promise = need(entry(b).inclusionPromise);
      promise.signedEntryTimestamp = flip(promise.signedEntryTimestamp);
    },
  ],
  [
    'signature',
    (b) => {
      if (b.messageSignature) b.messageSignature.signature = flip(b.messageSignature.signature);
      else {
        const sig = need(b.dsseEnvelope?.signatures[0]);
        sig.sig = flip(sig.sig);
      }
    },
  ],
  ['media type', (b) => (b.mediaType = 'application/vnd.dev.sigstore.bundle.v0.9+json')],
];

const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
const parses = (pem: string): boolean => {
  try {
    createPublicKey(pem);
    return true;
  } catch {
    return false;
  }
};

// The jobs verify mode would make for each case: a message signature's artifact by digest, a
// statement's subject by bytes; the key for managed-key cases.
function corpusJobs(): CryptoJob[] {
  const jobs: CryptoJob[] = [];
  const names = readdirSync(CORPUS, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !existsSync(casePath(d.name, 'trusted_root.json')))
    .map((d) => d.name)
    .sort();
  for (const name of names) {
    const text = readFileSync(casePath(name, 'bundle.sigstore.json'), 'utf8');
    const artifactFile = existsSync(casePath(name, 'artifact'))
      ? casePath(name, 'artifact')
      : path.join(CORPUS, 'a.txt');
    const data = readFileSync(artifactFile);
    const key = existsSync(casePath(name, 'key.pub')) ? readFileSync(casePath(name, 'key.pub'), 'utf8') : undefined;
    // A key that is not a key stops verify mode (a ProvenanceError, the last test's subject), not one bundle.
    if (key !== undefined && !parses(key)) continue;
    const withKey = key === undefined ? {} : { key };
    jobs.push({ bundle: text, options: { ...withKey, artifact: { data } } });
    jobs.push({
      bundle: text,
      options: { ...withKey, artifact: { digest: { algorithm: 'sha256', hex: sha256(data) } } },
    });
    if (!name.endsWith('_fail') && key === undefined) {
      for (const [, tamper] of TAMPERS) {
        const bundle = JSON.parse(text) as Editable;
        try {
          tamper(bundle);
        } catch {
          continue; // the edit does not apply to this bundle's shape
        }
        jobs.push({ bundle, options: { artifact: { digest: { algorithm: 'sha256', hex: sha256(data) } } } });
      }
    }
  }
  return jobs;
}

void describe('runCryptoJobs: the worker pool against this thread', () => {
  let trust: Trust;
  let jobs: CryptoJob[];
  let inProcess: CryptoResult[];
  before(async () => {
    trust = await publicGoodTrust();
    jobs = corpusJobs();
    inProcess = await runCryptoJobs(jobs, trust, { workers: 0 });
  });

  void it('has a mixed set to compare: passes and several kinds of failure', () => {
    const checks = new Set<string>(inProcess.map((r) => r.failure?.check ?? 'pass'));
    assert.ok(jobs.length > 64, `${jobs.length} jobs`);
    for (const check of ['pass', 'bundle-format', 'signature', 'tlog', 'certificate-chain', 'subject-digest'])
      assert.ok(checks.has(check), `${check} in ${[...checks].join(', ')}`);
  });

  for (const [label, options] of [
    ['two workers and this thread', { workers: 2 }],
    ['one worker alone', { workers: 1, mainThread: false }],
  ] as const) {
    void it(`gives the same result for every bundle, in order: ${label}`, async () => {
      const pooled = await runCryptoJobs(jobs, trust, options);
      assert.equal(pooled.length, inProcess.length);
      pooled.forEach((result, i) => assert.deepStrictEqual(result, inProcess[i], `job ${i}`));
    });
  }

  void it('throws what this thread throws for an error that is not a verdict', async () => {
    const managed = readFileSync(casePath('managed-key-happy-path', 'bundle.sigstore.json'), 'utf8');
    const bad: CryptoJob[] = [
      ...jobs.slice(0, 40),
      { bundle: managed, options: { key: 'not a key', artifact: { data: readFileSync(path.join(CORPUS, 'a.txt')) } } },
      ...jobs.slice(40),
    ];
    const thrown = async (workers: number): Promise<ProvenanceError> => {
      try {
        await runCryptoJobs(bad, trust, { workers });
      } catch (err) {
        assert.ok(err instanceof ProvenanceError, String(err));
        return err;
      }
      return assert.fail('no error');
    };
    const [here, there] = [await thrown(0), await thrown(2)];
    assert.deepEqual([there.code, there.message, there.hint], [here.code, here.message, here.hint]);
  });

  void it('uses workers started ahead for the same trust, and ends those it does not need', async () => {
    // Started for this trust: taken by the run (the same results as ever).
    prestartCryptoWorkers(trust);
    const pooled = await runCryptoJobs(jobs, trust, { workers: 1 });
    pooled.forEach((result, i) => assert.deepStrictEqual(result, inProcess[i], `job ${i}`));
    // Started, then a run in this thread alone, or one for another trust: ended, the results unchanged.
    prestartCryptoWorkers(trust);
    assert.deepStrictEqual(await runCryptoJobs(jobs.slice(0, 3), trust), inProcess.slice(0, 3));
    prestartCryptoWorkers(trust);
    const other = await publicGoodTrustAgain();
    const again = await runCryptoJobs(jobs, other, { workers: 1 });
    again.forEach((result, i) => assert.deepStrictEqual(result, inProcess[i], `job ${i}`));
  });
});

// The same root as a separate Trust object: the pool keys started workers by the object.
async function publicGoodTrustAgain(): Promise<Trust> {
  const { createTrust, loadTrustedRoots } = await import('../../../src/verify/trust/index.ts');
  return createTrust(await loadTrustedRoots('public-good-offline', process.cwd()));
}
