// Verify mode against real bundles from the wild, offline, with the public-good trusted root that
// @sigstore/tuf ships: GitHub's attest action (both SLSA v1 build types, one from a reusable
// workflow), npm provenance (bundle v0.1 and v0.2, SHA-512 purl subjects) and
// slsa-github-generator (SLSA v0.2). Each passes with its real identity and fails, naming the
// check, for another repository, signer workflow, source ref, predicate type or artifact, and
// when one field of its statement is forged. Where the fixtures come from:
// __tests__/fixtures/real-world/README.md. Signatures are checked at their signing time, so these
// old bundles keep verifying; no max-age is set.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { failedChecks, verifyWithInputs } from '../../testkit/verify-mode.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/real-world/', import.meta.url));
const V1 = 'https://slsa.dev/provenance/v1';
const V02 = 'https://slsa.dev/provenance/v0.2';

type Subject = { path: string } | { name: string; digest: string };

interface RealBundle {
  label: string;
  source: string; // the repository the fixture was taken from
  file: string;
  subject: Subject;
  /** A digest of the same algorithm that this bundle's statement does not list. */
  otherDigest: string;
  predicateType: string;
  owner: string;
  repo: string;
  /** OWNER/REPO/PATH of the certificate's Build Signer URI, and its ref. */
  signer: string;
  signerRef: string;
  sourceRef: string;
  otherRef: string;
  extra: Record<string, string>;
  /** Rules this bundle alone can get wrong: [input, value, the check that must fail]. */
  wrong: [input: string, value: string, check: string][];
  /** Rewrites one claim of the statement, for the forgery. */
  forge: (statement: Statement) => void;
}

interface Statement {
  predicate: Record<string, unknown>;
  [key: string]: unknown;
}

const record = (value: unknown): Record<string, unknown> => {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value), 'expected an object');
  return value as Record<string, unknown>;
};
const forgeV1Repository = (s: Statement): void => {
  const workflow = record(record(record(s.predicate['buildDefinition'])['externalParameters'])['workflow']);
  workflow['repository'] = 'https://github.com/attacker/evil';
};

const BUNDLES: RealBundle[] = [
  {
    label: 'GitHub attest action, buildType actions.github.io/buildtypes/workflow/v1 (tflint-ruleset-aws v0.35.0)',
    source: 'terraform-linters/tflint',
    file: 'github-attest-tflint-ruleset-aws-v0.35.0.sigstore.json',
    subject: { path: 'artifacts/checksums.txt' }, // the real artifact, reproduced from tflint's test
    otherDigest: `sha256:${'0'.repeat(63)}1`,
    predicateType: V1,
    owner: 'terraform-linters',
    repo: 'tflint-ruleset-aws',
    signer: 'terraform-linters/tflint-ruleset-aws/.github/workflows/release.yml',
    signerRef: 'refs/tags/v0.35.0',
    sourceRef: 'refs/tags/v0.35.0',
    otherRef: 'refs/tags/v0.34.0',
    extra: { 'source-digest': '4ee7ea998cd205afcf23e41f935eacfc2d5596ce', 'deny-self-hosted-runners': 'true' },
    wrong: [
      ['source-digest', '0518b68d5866beb392f646fa985ca9d4151e66a7', 'source-digest'], // v0.34.0's commit
      [
        'builder-id',
        'https://github.com/terraform-linters/tflint-ruleset-aws/.github/workflows/release.yml@refs/tags/v0.34.0',
        'builder-id',
      ],
    ],
    forge: forgeV1Repository,
  },
  {
    label: 'GitHub attest action from a reusable workflow, buildType slsa-framework workflow/v1 (malancas/attest-demo)',
    source: 'cli/cli',
    file: 'github-attest-reusable-workflow.sigstore.json',
    subject: {
      name: 'github_provenance_demo-0.0.0-py3-none-any.whl',
      digest: 'sha256:07e4b8c0e3580b3e4a1eb62c70f1ffb86004d3d94f50767cb404fa7a639b4d05',
    },
    otherDigest: 'sha256:49a3aa6075e0f49f82843e74b5baa614ad2a588e6675612bf108a0a008c5ac25',
    predicateType: V1,
    owner: 'malancas',
    repo: 'attest-demo',
    signer: 'bdehamer/workflows/.github/workflows/attest.yml',
    signerRef: 'refs/heads/main',
    sourceRef: 'refs/heads/main',
    otherRef: 'refs/heads/dev',
    extra: { 'signer-repository': 'bdehamer/workflows', 'source-digest': '8304c42402aa3a569882687e0642c359e5a74ac2' },
    wrong: [
      // The caller is not the signer: the certificate names the reusable workflow.
      ['signer-workflow', 'malancas/attest-demo/.github/workflows/shared.yml', 'signer-workflow'],
      ['signer-repository', 'malancas/attest-demo', 'signer-repository'],
      ['signer-repository', 'bdehamer/workflow', 'signer-repository'],
    ],
    forge: forgeV1Repository,
  },
  {
    label: 'npm provenance, bundle v0.1 (sigstore@2.1.0)',
    source: 'cli/cli',
    file: 'npm-sigstore-2.1.0-bundle-v0.1.json',
    subject: {
      name: 'pkg:npm/sigstore@2.1.0',
      digest:
        'sha512:90f223f992e4c88dd068cd2a5fc57f9d2b30798343dd6e38f29c240e04ba090ef831f84490847c4e82b9232c78e8a258463b1e55c0f7469f730265008fa6633f',
    },
    otherDigest:
      'sha512:7dc53d7251f012cb36fccff5d4514cf09c1ce0f8c181b857a0db24a0ae60ba82b4a8640149e51b419449f81d9f0c522f8727f482a09a3eb7a5f66b336e1031ba',
    predicateType: V1,
    owner: 'sigstore',
    repo: 'sigstore-js',
    signer: 'sigstore/sigstore-js/.github/workflows/release.yml',
    signerRef: 'refs/heads/main',
    sourceRef: 'refs/heads/main',
    otherRef: 'refs/tags/v2.1.0',
    extra: { 'source-digest': '26d16513386ffaa790b1c32f927544f1322e4194' },
    wrong: [
      [
        'certificate-identity',
        'https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/mai',
        'certificate-identity',
      ],
    ],
    forge: forgeV1Repository,
  },
  {
    label: 'npm provenance, bundle v0.2 (sigstore@2.2.0)',
    source: 'cli/cli',
    file: 'npm-sigstore-2.2.0-bundle-v0.2.json',
    subject: {
      name: 'pkg:npm/sigstore@2.2.0',
      digest:
        'sha512:7dc53d7251f012cb36fccff5d4514cf09c1ce0f8c181b857a0db24a0ae60ba82b4a8640149e51b419449f81d9f0c522f8727f482a09a3eb7a5f66b336e1031ba',
    },
    otherDigest:
      'sha512:90f223f992e4c88dd068cd2a5fc57f9d2b30798343dd6e38f29c240e04ba090ef831f84490847c4e82b9232c78e8a258463b1e55c0f7469f730265008fa6633f',
    predicateType: V1,
    owner: 'sigstore',
    repo: 'sigstore-js',
    signer: 'sigstore/sigstore-js/.github/workflows/release.yml',
    signerRef: 'refs/heads/main',
    sourceRef: 'refs/heads/main',
    otherRef: 'refs/heads/release',
    extra: { 'source-digest': 'd9093d4b3b99d9ee446633ac7074e43cea78c727' },
    wrong: [
      [
        'certificate-identity-regexp',
        'https://github\\.com/sigstore/sigstore-js/\\.github/workflows/release\\.yml',
        'certificate-identity',
      ],
    ],
    forge: forgeV1Repository,
  },
  {
    label: 'slsa-github-generator generic v2.1.0, SLSA v0.2 (slsa-framework/example-package v13.0.30)',
    source: 'slsa-framework/slsa-verifier',
    file: 'slsa-github-generator-generic-v2.1.0.intoto.jsonl',
    subject: {
      name: 'gha_generic-binary-linux-amd64-v13.0.30',
      digest: 'sha256:376e7e01348585b6e6643bc6663146b9d525d9b41228bf180eaeb4d4a3706caa',
    },
    otherDigest: 'sha256:6ce2c2065262cdd468669d6e831215455bbac569cb9b1c8d27275c5f4447d169',
    predicateType: V02,
    owner: 'slsa-framework',
    repo: 'example-package',
    signer: 'slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml',
    signerRef: 'refs/tags/v2.1.0',
    sourceRef: 'refs/tags/v13.0.30',
    otherRef: 'refs/tags/v13.0.3',
    extra: {
      'builder-id':
        'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0',
      'signer-repository': 'slsa-framework/slsa-github-generator',
      'source-digest': '4d329c75e7ec1725f7c9ce917a8799d408d06be3',
    },
    wrong: [
      // The caller is not the signer: the certificate names the generator.
      [
        'signer-workflow',
        'slsa-framework/example-package/.github/workflows/verifier-e2e.all.workflow_dispatch.main.all.slsa3.yml',
        'signer-workflow',
      ],
      [
        'builder-id',
        'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.0.0',
        'builder-id',
      ],
      [
        'builder-id',
        'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v2.1.0',
        'builder-id',
      ],
    ],
    forge: (s) => {
      const configSource = record(record(s.predicate['invocation'])['configSource']);
      configSource['uri'] = 'git+https://github.com/attacker/evil@refs/tags/v13.0.30';
    },
  },
];

let ws: string;
let count = 0;
let verified = 0;
let rejected = 0;

before(async () => {
  ws = await mkdtemp(path.join(os.tmpdir(), 'verify-real-world-'));
  for (const name of await readdir(FIXTURES)) {
    if (name.endsWith('.json') || name.endsWith('.jsonl'))
      await copyFile(path.join(FIXTURES, name), path.join(ws, name));
  }
  await writeFile(path.join(ws, 'checksums.txt'), await readFile(path.join(FIXTURES, 'artifacts', 'checksums.txt')));
});
after(async () => {
  await rm(ws, { recursive: true, force: true });
  const sources = [...new Set(BUNDLES.map((b) => b.source))].join(', ');
  console.log(`real-world: ${verified} bundles from ${sources} verified; ${rejected} negative cases rejected`);
});

const subjectInputs = (subject: Subject): Record<string, string> =>
  'path' in subject
    ? { 'subject-path': path.basename(subject.path) }
    : { 'subject-name': subject.name, 'subject-digest': subject.digest };

/** The policy naming everything the bundle's certificate and statement really say. */
const realPolicy = (b: RealBundle): Record<string, string> => ({
  repository: `${b.owner}/${b.repo}`,
  'signer-workflow': b.signer,
  'source-ref': b.sourceRef,
  'predicate-type': b.predicateType,
  ...b.extra,
});

async function run(bundleFile: string, inputs: Record<string, string>): Promise<VerifyReport> {
  const n = ++count;
  return verifyWithInputs(ws, {
    'bundle-path': bundleFile,
    'trusted-root': 'public-good-offline',
    'report-path': `report-${n}.json`,
    ...inputs,
  });
}

const checks = failedChecks;
const shown = (r: VerifyReport): string => JSON.stringify(r.artifacts, null, 1);

async function rejects(bundleFile: string, inputs: Record<string, string>, expected: string[]): Promise<void> {
  const r = await run(bundleFile, inputs);
  assert.equal(r.verified, false, shown(r));
  assert.deepEqual(checks(r), expected, shown(r));
  rejected++;
}

/** The bundle with its statement rewritten by `change`, written to the workspace. */
async function forged(b: RealBundle, change: (s: Statement) => void): Promise<string> {
  const bundle = record(JSON.parse((await readFile(path.join(FIXTURES, b.file), 'utf8')).trim()));
  const envelope = record(bundle['dsseEnvelope']);
  const statement = JSON.parse(Buffer.from(String(envelope['payload']), 'base64').toString('utf8')) as Statement;
  change(statement);
  envelope['payload'] = Buffer.from(JSON.stringify(statement)).toString('base64');
  const file = `forged-${++count}.json`;
  await writeFile(path.join(ws, file), JSON.stringify(bundle));
  return file;
}

for (const b of BUNDLES) {
  describe(b.label, () => {
    const base = (): Record<string, string> => ({ ...subjectInputs(b.subject), ...realPolicy(b) });

    it('passes with its real identity, under the default OIDC issuer', async () => {
      const r = await run(b.file, base());
      assert.equal(r.verified, true, shown(r));
      assert.equal(r.artifacts[0]?.bundles[0]?.signer, `https://github.com/${b.signer}@${b.signerRef}`);
      verified++;
    });

    it('passes with the signer workflow pinned to its ref', async () => {
      assert.equal((await run(b.file, { ...base(), 'signer-workflow': `${b.signer}@${b.signerRef}` })).verified, true);
    });

    it('fails "repository" for another repository', async () => {
      await rejects(b.file, { ...base(), repository: `${b.owner}/${b.repo}-fork` }, ['repository']);
    });

    it('fails "repository" for a repository whose name the real one extends', async () => {
      await rejects(b.file, { ...base(), repository: `${b.owner}/${b.repo.slice(0, -1)}` }, ['repository']);
    });

    it('fails "signer-workflow" for a suffix of the real workflow (another path)', async () => {
      const [owner = '', repo = '', ...rest] = b.signer.split('/');
      await rejects(b.file, { ...base(), 'signer-workflow': `${owner}/${repo}/${rest.slice(1).join('/')}` }, [
        'signer-workflow',
      ]);
    });

    it('fails "signer-workflow" for a prefix of the real signer (a ref cut short)', async () => {
      await rejects(b.file, { ...base(), 'signer-workflow': `${b.signer}@${b.signerRef.slice(0, -1)}` }, [
        'signer-workflow',
      ]);
    });

    it('fails "signer-workflow" for the same workflow in a repository whose name extends the real one', async () => {
      const [owner = '', repo = '', ...rest] = b.signer.split('/');
      await rejects(b.file, { ...base(), 'signer-workflow': `${owner}/${repo}-evil/${rest.join('/')}` }, [
        'signer-workflow',
      ]);
    });

    it('fails "source-ref" for another source ref', async () => {
      await rejects(b.file, { ...base(), 'source-ref': b.otherRef }, ['source-ref']);
    });

    it('fails "predicate-type" for the other SLSA version', async () => {
      await rejects(b.file, { ...base(), 'predicate-type': b.predicateType === V1 ? V02 : V1 }, ['predicate-type']);
    });

    it('passes with the repository and owner in another case (GitHub names ignore case)', async () => {
      const r = await run(b.file, {
        ...base(),
        repository: `${b.owner}/${b.repo}`.toUpperCase(),
        owner: b.owner.toUpperCase(),
      });
      assert.equal(r.verified, true, shown(r));
    });

    it('fails "owner" for an owner whose name the real one extends', async () => {
      await rejects(b.file, { ...base(), owner: b.owner.slice(0, -1) }, ['owner']);
    });

    for (const [input, value, check] of b.wrong) {
      it(`fails "${check}" for ${input} ${value}`, async () => {
        await rejects(b.file, { ...base(), [input]: value }, [check]);
      });
    }

    it('fails "certificate-oidc-issuer" for another issuer', async () => {
      await rejects(b.file, { ...base(), 'certificate-oidc-issuer': 'https://token.actions.example.com' }, [
        'certificate-oidc-issuer',
      ]);
    });

    it('fails "subject-digest" for an artifact it does not list', async () => {
      await rejects(
        b.file,
        { ...base(), 'subject-path': '', 'subject-name': 'other-artifact', 'subject-digest': b.otherDigest },
        ['subject-digest'],
      );
    });

    it('fails "signature" when one claim of its statement is forged', async () => {
      await rejects(await forged(b, b.forge), base(), ['signature']);
    });

    it('fails "signature" when its subject is swapped for another artifact', async () => {
      const [algorithm = '', hex = ''] = b.otherDigest.split(':');
      const file = await forged(b, (s) => (s['subject'] = [{ name: 'other-artifact', digest: { [algorithm]: hex } }]));
      await rejects(
        file,
        { ...base(), 'subject-path': '', 'subject-name': 'other-artifact', 'subject-digest': b.otherDigest },
        ['signature'],
      );
    });
  });
}

describe('real bundles together', () => {
  it('a bundle verifies only the artifact its statement lists, among several real bundles', async () => {
    const npm21 = BUNDLES[2];
    const npm22 = BUNDLES[3];
    assert.ok(npm21 && npm22 && 'digest' in npm21.subject && 'digest' in npm22.subject);
    await writeFile(
      path.join(ws, 'both.jsonl'),
      `${[npm21, npm22].map((b) => JSON.stringify(JSON.parse(readFixture(b.file)))).join('\n')}\n`,
    );
    const { 'source-digest': _commit, ...policy } = realPolicy(npm22); // the two were built from different commits
    const r = await run('both.jsonl', {
      ...policy,
      'subject-name': `${npm21.subject.name}\n${npm22.subject.name}`,
      'subject-digest': `${npm21.subject.digest}\n${npm22.subject.digest}`,
    });
    assert.equal(r.verified, true, shown(r));
    assert.deepEqual(
      r.artifacts.map((a) => a.bundles.map((x) => x.result)),
      [['PASS'], ['PASS']],
    );
  });

  it('rejects the bare DSSE envelope older slsa-github-generator releases published, as bundle-format', async () => {
    // Older generator releases wrote only the signed DSSE envelope to .intoto.jsonl: no log entry,
    // no verification material, nothing to verify offline. The v2.1.0 bundle's envelope stands in.
    const gen = BUNDLES[4];
    assert.ok(gen && 'digest' in gen.subject);
    const envelope = record(record(JSON.parse(readFixture(gen.file)) as unknown)['dsseEnvelope']);
    await writeFile(path.join(ws, 'bare.intoto.jsonl'), `${JSON.stringify(envelope)}\n`);
    const r = await run('bare.intoto.jsonl', {
      ...realPolicy(gen),
      'subject-name': gen.subject.name,
      'subject-digest': gen.subject.digest,
    });
    // The envelope does name the artifact, so the artifact fails on it, with the reason it cannot be checked.
    assert.equal(r.verified, false);
    assert.deepEqual(checks(r), ['bundle-format'], shown(r));
    assert.match(
      r.artifacts[0]?.bundles[0]?.failures[0]?.found ?? '',
      /bare DSSE envelope .*needs an online Rekor search, which offline verification cannot do\. Get a bundle instead: /,
    );
    assert.equal(r.unusedBundles.length, 0);
    rejected++;
  });
});

function readFixture(file: string): string {
  return readFileSync(path.join(FIXTURES, file), 'utf8');
}
