// The tamper corpus: every valid bundle we have — the conformance suite's passing cases, the
// real-world bundles, and bundles our local Sigstore stack signs (log only, timestamp only, both)
// — mutated by testkit/tamper's seeded operators, one signed or checked part at a time. None may
// verify, and each rejection must name a check that belongs to the part that was changed. The
// mutants run through verify mode's own job function (runCryptoJobs), in this thread and in the
// worker pool, so whatever path verify mode takes is the path tested. The count is printed.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCryptoJob } from '../../src/verify/workers/crypto-jobs.ts';
import { evaluatePolicy } from '../../src/verify/policy/index.ts';
import { runCryptoJobs } from '../../src/verify/workers/crypto-pool.ts';
import { createTrust, type Trust } from '../../src/verify/trust/index.ts';
import { validateTrustedRoot } from '../../src/verify/trust/index.ts';
import type { CheckName } from '../../src/verify/types.ts';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { signStatement, provenanceStatement } from '../../testkit/sign.ts';
import { mutants, type Base, type Mutant, type Part } from '../../testkit/tamper/index.ts';
import { CORPUS, caseTrust, publicGoodTrust } from './crypto/corpus.ts';

export const SEED = 20261122;
const REAL_WORLD = fileURLToPath(new URL('../fixtures/real-world/', import.meta.url));

interface Subject {
  base: Base;
  trust: Trust;
  key: string | undefined;
}

/** The checks that may catch a change to each part (the first check that looks at it wins). */
const CAUGHT_BY: Record<Part, readonly CheckName[]> = {
  payload: ['signature', 'tlog', 'bundle-format', 'subject-digest'],
  'payload-type': ['signature', 'tlog', 'subject-digest', 'bundle-format'],
  subject: ['subject-digest', 'signature', 'tlog'],
  signature: ['signature', 'tlog', 'bundle-format'],
  'message-digest': ['signature', 'subject-digest', 'tlog'],
  certificate: ['certificate-chain', 'bundle-format', 'signature', 'sct', 'tlog', 'timestamp', 'public-key'],
  chain: ['certificate-chain', 'bundle-format', 'signature', 'sct', 'tlog'],
  'tlog-index': ['tlog'],
  'tlog-time': ['tlog', 'certificate-chain', 'timestamp'],
  'tlog-body': ['tlog', 'bundle-format'],
  'tlog-promise': ['tlog', 'bundle-format'],
  'tlog-proof': ['tlog', 'bundle-format'],
  'tlog-checkpoint': ['tlog', 'bundle-format'],
  'tlog-log-id': ['tlog', 'bundle-format'],
  'tlog-kind': ['tlog', 'bundle-format'],
  timestamp: ['timestamp', 'bundle-format'],
  'media-type': ['bundle-format'],
};

function firstSha256(bundle: unknown): string | undefined {
  const payload = (bundle as { dsseEnvelope?: { payload?: string } }).dsseEnvelope?.payload;
  if (payload !== undefined) {
    const statement = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as {
      subject?: { digest?: Record<string, string> }[];
    };
    return statement.subject?.[0]?.digest?.['sha256'];
  }
  const digest = (bundle as { messageSignature?: { messageDigest?: { digest?: string } } }).messageSignature
    ?.messageDigest?.digest;
  return digest === undefined ? undefined : Buffer.from(digest, 'base64').toString('hex');
}

async function conformanceBases(): Promise<Subject[]> {
  const names = readdirSync(CORPUS, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.endsWith('_fail'))
    .map((d) => d.name)
    .sort();
  const out: Subject[] = [];
  for (const name of names) {
    const dir = path.join(CORPUS, name);
    const bundle: unknown = JSON.parse(readFileSync(path.join(dir, 'bundle.sigstore.json'), 'utf8'));
    const artifactFile = existsSync(path.join(dir, 'artifact'))
      ? path.join(dir, 'artifact')
      : path.join(CORPUS, 'a.txt');
    const hasDsse = (bundle as { dsseEnvelope?: unknown }).dsseEnvelope !== undefined;
    // A DSSE bundle is checked against the subject it lists; a message signature against the artifact it signed.
    const artifactSha256 = hasDsse
      ? firstSha256(bundle)
      : createHash('sha256').update(readFileSync(artifactFile)).digest('hex');
    const key = existsSync(path.join(dir, 'key.pub')) ? readFileSync(path.join(dir, 'key.pub'), 'utf8') : undefined;
    const trust = existsSync(path.join(dir, 'trusted_root.json')) ? await caseTrust(name) : await publicGoodTrust();
    out.push({ base: { name: `conformance:${name}`, bundle, artifactSha256 }, trust, key });
  }
  return out;
}

async function realWorldBases(): Promise<Subject[]> {
  const trust = await publicGoodTrust();
  return readdirSync(REAL_WORLD)
    .filter((f) => f.endsWith('.json') || f.endsWith('.jsonl'))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(REAL_WORLD, file), 'utf8');
      // A .json file holds one (pretty-printed) bundle; a .jsonl one per line: the first is used.
      const bundle: unknown = JSON.parse(file.endsWith('.jsonl') ? (text.split('\n')[0] ?? '') : text);
      return {
        base: { name: `real-world:${file}`, bundle, artifactSha256: firstSha256(bundle) },
        trust,
        key: undefined,
      };
    });
}

async function ownBases(services: LocalServices): Promise<Subject[]> {
  const trust = createTrust([validateTrustedRoot(services.sigstore.trustedRoot, 'local stack')]);
  // A timestamp-only bundle is what GitHub's instance makes: verified against a root without logs.
  const noLogs = createTrust([
    validateTrustedRoot({ ...services.sigstore.trustedRoot, tlogs: [] }, 'local stack without logs'),
  ]);
  const subject = [
    { name: 'app.tar.gz', digest: { sha256: createHash('sha256').update('the release').digest('hex') } },
  ];
  const made: Subject[] = [];
  for (const witnesses of [['rekor'], ['tsa'], ['rekor', 'tsa']] as const) {
    const bundle = await signStatement(services, provenanceStatement(services, subject), { witnesses });
    made.push({
      base: { name: `ours:${witnesses.join('+')}`, bundle, artifactSha256: subject[0]?.digest.sha256 },
      trust: (witnesses as readonly string[]).includes('rekor') ? trust : noLogs,
      key: undefined,
    });
  }
  return made;
}

// The predicate against its certificate: a signer with a real identity writes provenance that
// claims something else. The signature is genuine; only the agreement check can catch it.
const FORGED_FIELDS: [string, (predicate: Record<string, Record<string, unknown>>) => void][] = [
  [
    'builder id',
    (p) => {
      (p['runDetails']?.['builder'] as Record<string, unknown>)['id'] =
        'https://github.com/octo-org/octo-repo/.github/workflows/other.yml@refs/tags/v1.2.0';
    },
  ],
  [
    'workflow repository',
    (p) => {
      ((p['buildDefinition']?.['externalParameters'] as Record<string, Record<string, unknown>>)['workflow'] ?? {})[
        'repository'
      ] = 'https://github.com/evil/octo-repo';
    },
  ],
  [
    'workflow ref',
    (p) => {
      ((p['buildDefinition']?.['externalParameters'] as Record<string, Record<string, unknown>>)['workflow'] ?? {})[
        'ref'
      ] = 'refs/heads/main';
    },
  ],
  [
    'workflow path',
    (p) => {
      ((p['buildDefinition']?.['externalParameters'] as Record<string, Record<string, unknown>>)['workflow'] ?? {})[
        'path'
      ] = '.github/workflows/other.yml';
    },
  ],
  [
    'source commit',
    (p) => {
      ((p['buildDefinition']?.['resolvedDependencies'] as Record<string, Record<string, unknown>>[])[0] ?? {})[
        'digest'
      ] = { gitCommit: '0'.repeat(40) };
    },
  ],
  [
    'source uri',
    (p) => {
      ((p['buildDefinition']?.['resolvedDependencies'] as Record<string, unknown>[])[0] as Record<string, unknown>)[
        'uri'
      ] = 'git+https://github.com/evil/octo-repo@refs/tags/v1.2.0';
    },
  ],
  [
    'runner environment',
    (p) => {
      ((p['buildDefinition']?.['internalParameters'] as Record<string, Record<string, unknown>>)['github'] ?? {})[
        'runner_environment'
      ] = 'self-hosted';
    },
  ],
  [
    'event name',
    (p) => {
      ((p['buildDefinition']?.['internalParameters'] as Record<string, Record<string, unknown>>)['github'] ?? {})[
        'event_name'
      ] = 'workflow_dispatch';
    },
  ],
  [
    'repository id',
    (p) => {
      ((p['buildDefinition']?.['internalParameters'] as Record<string, Record<string, unknown>>)['github'] ?? {})[
        'repository_id'
      ] = '1';
    },
  ],
  [
    'invocation id',
    (p) => {
      (p['runDetails']?.['metadata'] as Record<string, unknown>)['invocationId'] =
        'https://github.com/octo-org/octo-repo/actions/runs/1/attempts/1';
    },
  ],
  [
    'extra external parameter',
    (p) => {
      (p['buildDefinition']?.['externalParameters'] as Record<string, unknown>)['secret_flag'] = true;
    },
  ],
  [
    'inputs on a push',
    (p) => {
      (p['buildDefinition']?.['externalParameters'] as Record<string, unknown>)['inputs'] = { release: 'yes' };
    },
  ],
  [
    'build type',
    (p) => {
      (p['buildDefinition'] as Record<string, unknown>)['buildType'] = 'https://example.com/unknown-build/v1';
    },
  ],
];

let services: LocalServices;
const forged: { field: string; bundle: unknown }[] = [];
let subjects: Subject[] = [];
let corpus: Mutant[] = [];

before(async () => {
  services = await startLocalServices();
  subjects = [...(await conformanceBases()), ...(await realWorldBases()), ...(await ownBases(services))];
  corpus = mutants(
    SEED,
    subjects.map((s) => s.base),
  );
  // Signed up front, while the local services are fresh (the tests below run synchronously for seconds).
  for (const [field, forge] of FORGED_FIELDS) {
    const statement = provenanceStatement(services, [{ name: 'app.tar.gz', digest: { sha256: 'a'.repeat(64) } }]) as {
      predicate: Record<string, Record<string, unknown>>;
    };
    forge(statement.predicate);
    forged.push({ field, bundle: await signStatement(services, statement) });
  }
});
after(async () => {
  await services.stop();
});

const jobFor = (m: Mutant, s: Subject): Parameters<typeof runCryptoJob>[0] => ({
  bundle: m.bundle,
  options: {
    ...(s.key !== undefined && { key: s.key }),
    ...(m.artifactSha256 !== undefined && {
      artifact: { digest: { algorithm: 'sha256' as const, hex: m.artifactSha256 } },
    }),
  },
});

describe('tamper corpus', () => {
  it('starts from bundles that all verify', () => {
    for (const s of subjects) {
      const result = runCryptoJob(
        jobFor(
          {
            name: s.base.name,
            base: s.base.name,
            part: 'payload',
            bundle: s.base.bundle,
            artifactSha256: s.base.artifactSha256,
          },
          s,
        ),
        s.trust,
      );
      assert.ok(result.verified, `${s.base.name}: ${JSON.stringify(result.failure)}`);
    }
  });

  it('rejects every mutant, naming a check that belongs to the part changed', () => {
    assert.ok(corpus.length >= 1000, `only ${corpus.length} mutants`);
    const bySubject = new Map(subjects.map((s) => [s.base.name, s]));
    const accepted: string[] = [];
    const misnamed: string[] = [];
    const counts = new Map<string, number>();
    for (const m of corpus) {
      const s = bySubject.get(m.base);
      assert.ok(s);
      const result = runCryptoJob(jobFor(m, s), s.trust);
      if (result.verified) {
        accepted.push(m.name);
        continue;
      }
      counts.set(result.failure.check, (counts.get(result.failure.check) ?? 0) + 1);
      if (!CAUGHT_BY[m.part].includes(result.failure.check))
        misnamed.push(`${m.name}: ${result.failure.check}: ${result.failure.found}`);
    }
    const summary = [...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([check, n]) => `${check} ${n}`)
      .join(', ');
    console.log(
      `tamper corpus: ${corpus.length} mutants of ${subjects.length} bundles (seed ${SEED}), ${accepted.length} accepted; rejected by ${summary}`,
    );
    assert.deepEqual(accepted, [], 'mutants that verified');
    assert.deepEqual(misnamed, [], 'mutants rejected by a check unrelated to the part changed');
  });

  it('gets the same verdict for every mutant through the worker pool', async () => {
    const bySubject = new Map(subjects.map((s) => [s.base.name, s]));
    // One pool run per trust (the pool takes one trust): the local stack's mutants, and public-good's.
    for (const trustOwner of ['ours:rekor', 'real-world:github-attest-reusable-workflow.sigstore.json']) {
      const trust = bySubject.get(trustOwner)?.trust;
      assert.ok(trust);
      const group = corpus.filter((m) => bySubject.get(m.base)?.trust === trust);
      const jobs = group.map((m) => jobFor(m, bySubject.get(m.base) ?? assert.fail()));
      const pooled = await runCryptoJobs(jobs, trust, { workers: 1, mainThread: false });
      assert.equal(pooled.length, group.length);
      pooled.forEach((result, i) => {
        const m = group[i];
        assert.ok(m);
        assert.equal(result.verified, undefined, m.name);
        assert.deepEqual(result, runCryptoJob(jobs[i] ?? assert.fail(), trust), m.name);
      });
    }
  });

  it('rejects provenance whose predicate contradicts its genuine certificate, field by field', () => {
    const trust = createTrust([validateTrustedRoot(services.sigstore.trustedRoot, 'local stack')]);
    const missed: string[] = [];
    for (const { field, bundle } of forged) {
      const result = runCryptoJob({ bundle, options: {} }, trust);
      assert.ok(result.verified, `${field}: the signature itself is genuine`);
      const checks = evaluatePolicy(
        { certificateOidcIssuer: services.issuer.issuer, repository: 'octo-org/octo-repo' },
        result.verified,
        new Date(),
      ).map((f) => f.check);
      if (!checks.includes('predicate-matches-certificate'))
        missed.push(`${field}: ${checks.join(', ') || 'accepted'}`);
    }
    console.log(
      `tamper corpus: ${forged.length} forged predicates signed with a genuine identity, ${missed.length} accepted`,
    );
    assert.equal(forged.length, FORGED_FIELDS.length);
    assert.deepEqual(missed, []);
  });
});
