// Fuzzing what verify mode reads first and trusts least: bundle files, bundles, their DSSE
// statements, the whole cryptographic check on arbitrary JSON, and trusted roots. Inputs are
// arbitrary JSON/text/bytes and mutants of the conformance corpus and real-world bundles.

import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { Envelope } from '@sigstore/bundle';
import { parseBundle } from '../../src/verify/crypto/index.ts';
import { readCertificate } from '../../src/verify/fast/certificate-cache.ts';
import { certificateShapeProblem } from '../../src/verify/crypto/patches/certificate-shape.ts';
import { verifyBundleCrypto, type CryptoOptions } from '../../src/verify/crypto/verify-bundle.ts';
import { statementOf } from '../../src/verify/crypto/statement.ts';
import { runCryptoJob } from '../../src/verify/workers/crypto-jobs.ts';
import {
  claimedStatement,
  isBareEnvelope,
  MAX_BUNDLE_FILE_BYTES,
  MAX_BUNDLE_DEPTH,
  MAX_BUNDLES_PER_FILE,
  loadedJSON,
  parseBundleText,
} from '../../src/verify/sources/bundle-text.ts';
import { validateTrustedRoot } from '../../src/verify/trust/validate.ts';
import { publicGoodSnapshotDocument } from '../../src/verify/trust/public-good.ts';
import { MAX_TRUSTED_ROOT_DEPTH } from '../../src/verify/trust/validate.ts';
import type { Trust } from '../../src/verify/trust/index.ts';
import { VerificationError } from '../../src/verify/types.ts';
import { CORPUS, caseBundle, defaultArtifact, publicGoodTrust, REPO_ROOT } from '../verify/crypto/corpus.ts';
import { evaluatePolicy, predicateMatchesCertificate, type Policy } from '../../src/verify/policy/index.ts';
import { MAX_PREDICATE_DEPTH, parseDocument } from '../../src/attest/provenance/custom-predicate.ts';
import { ProvenanceError } from '../../src/common/errors.ts';
import { judgeArtifacts, unusedBundles, type BundleOutcome } from '../../src/verify/judge.ts';
import { judgeChains } from '../../src/verify/chain/chain.ts';
import { parseChainStages } from '../../src/verify/chain/spec.ts';
import { POLICY_RULES } from '../../src/verify/policy/index.ts';
import { linkTargetOf } from '../../src/attest/stages/link-sources.ts';
import {
  ATTEST_CERT,
  ATTEST_STATEMENT,
  GENERATOR_CERT,
  GENERATOR_STATEMENT,
  NPM_CERT,
  NPM_STATEMENT,
  SIGNED_AT,
} from '../verify/policy/fixtures.ts';
import {
  anyJson,
  deepJSON,
  fuzz,
  fuzzAsync,
  linesOf,
  mutated,
  mutatedText,
  nastyString,
  prototypeKey,
  PROTOTYPE_KEYS,
  refusesQuickly,
  withOwnKey,
} from './harness.ts';
import { requireSubject } from '../../src/verify/crypto/statement.ts';
import { loadTrustedRoots } from '../../src/verify/trust/load.ts';

const HAPPY = [
  'happy-path-v0.1',
  'happy-path-v0.2',
  'happy-path-v0.3',
  'happy-path-v0.3-new-mediaType',
  'happy-path-intoto-in-dsse-v3',
  'managed-key-happy-path',
  'rekor2-happy-path',
  'rekor2-dsse-happy-path',
  'rekor2-timestamp-with-embedded-cert',
];
const REAL_WORLD = path.join(REPO_ROOT, '__tests__/fixtures/real-world');

const realWorldTexts = readdirSync(REAL_WORLD)
  .filter((f) => /\.(json|jsonl)$/.test(f))
  .map((f) => readFileSync(path.join(REAL_WORLD, f), 'utf8'));
const realWorldBundles: unknown[] = realWorldTexts.flatMap((text) =>
  parseBundleText(text, 'fixture').map((b) => b.json),
);
const bundles: unknown[] = [...HAPPY.map(caseBundle), ...realWorldBundles];
const dsseBundles = bundles.filter((b) => typeof b === 'object' && b !== null && 'dsseEnvelope' in b);

interface DsseJSON {
  dsseEnvelope: { payload: string; payloadType: string };
}

const statementOfBundle = (b: unknown): unknown =>
  JSON.parse(Buffer.from((b as DsseJSON).dsseEnvelope.payload, 'base64').toString('utf8')) as unknown;
const statements = dsseBundles.map(statementOfBundle);

/** A DSSE bundle whose statement (inside the base64 payload) is mutated: what the outer walk never reaches. */
const payloadMutants: fc.Arbitrary<unknown> = fc
  .tuple(fc.nat({ max: dsseBundles.length - 1 }), mutated(statements))
  .map(([which, statement]) => {
    const bundle = structuredClone(dsseBundles[which]) as DsseJSON;
    bundle.dsseEnvelope.payload = Buffer.from(JSON.stringify(statement) ?? '').toString('base64');
    return bundle;
  });

const bundleInputs: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: mutated(bundles), weight: 6 },
  { arbitrary: payloadMutants, weight: 2 },
  { arbitrary: anyJson, weight: 1 },
  {
    arbitrary: fc.record(
      {
        mediaType: fc.constantFrom(
          'application/vnd.dev.sigstore.bundle.v0.3+json',
          'application/vnd.dev.sigstore.bundle+json;version=0.1',
        ),
        verificationMaterial: anyJson,
        dsseEnvelope: anyJson,
        messageSignature: anyJson,
      },
      { requiredKeys: ['mediaType'] },
    ),
    weight: 2,
  },
);

let trust: Trust;
before(async () => {
  trust = await publicGoodTrust();
});

void describe('fuzz: bundles', () => {
  void it('certificateShapeProblem: arbitrary bytes and mutated real certificates never throw; what it passes, the fast reader reads', () => {
    const certificates = bundles.flatMap((b) => {
      const material = (
        b as {
          verificationMaterial?: {
            certificate?: { rawBytes?: unknown };
            x509CertificateChain?: { certificates?: { rawBytes?: unknown }[] };
          };
        }
      ).verificationMaterial;
      return [
        material?.certificate?.rawBytes,
        ...(material?.x509CertificateChain?.certificates ?? []).map((c) => c.rawBytes),
      ]
        .filter((r): r is string => typeof r === 'string')
        .map((r) => Buffer.from(r, 'base64'));
    });
    assert.ok(certificates.length > 10);
    const flipped = fc
      .tuple(fc.constantFrom(...certificates), fc.nat(), fc.integer({ min: 1, max: 255 }))
      .map(([der, at, mask]) => {
        const copy = Buffer.from(der);
        copy[at % copy.length] = (copy[at % copy.length] ?? 0) ^ mask;
        return copy;
      });
    const cut = fc
      .tuple(fc.constantFrom(...certificates), fc.nat())
      .map(([der, at]) => der.subarray(0, at % der.length));
    const input = fc.oneof(
      flipped,
      cut,
      fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
    );
    fuzz(
      'certificateShapeProblem',
      input,
      (der) => {
        const problem = certificateShapeProblem(der);
        if (problem === undefined)
          assert.ok(readCertificate(der), 'a certificate of the right shape that the fast reader does not read');
      },
      { seed: 7109, numRuns: 2000 },
    );
  });

  void it('parseBundle: arbitrary JSON, JSON text, bytes and corpus mutants', () => {
    const input = fc.oneof(
      { arbitrary: bundleInputs, weight: 8 },
      { arbitrary: mutatedText(bundles.map((b) => JSON.stringify(b))), weight: 2 },
      { arbitrary: fc.uint8Array({ maxLength: 256 }).map((b) => Buffer.from(b)), weight: 1 },
    );
    fuzz('parseBundle', input, (b) => parseBundle(b), { seed: 7101, numRuns: 1000 });
  });

  void it('parseBundleText and claimedStatement: arbitrary text and mutated bundle files', () => {
    const text = fc.oneof(
      { arbitrary: mutatedText(realWorldTexts), weight: 4 },
      {
        arbitrary: linesOf(
          fc.oneof(
            nastyString(),
            anyJson.map((v) => JSON.stringify(v) ?? ''),
          ),
        ),
        weight: 3,
      },
      { arbitrary: mutated(bundles).map((b) => JSON.stringify(b) ?? ''), weight: 3 },
    );
    fuzz(
      'parseBundleText',
      text,
      (t) => {
        for (const loaded of parseBundleText(t, 'fuzz.jsonl')) {
          claimedStatement(loaded.json);
          isBareEnvelope(loaded.json);
          loadedJSON(loaded.source, loaded.json);
        }
      },
      { seed: 7102, numRuns: 600 },
    );
    fuzz('claimedStatement', bundleInputs, (b) => claimedStatement(b), { seed: 7103, numRuns: 600 });
  });

  // The claims are read before anything is verified, and decide which artifact a failed bundle is
  // reported under: everything downstream of claimedStatement sees hostile JSON.
  void it('claims, as verify mode and links use them: judgeArtifacts, unusedBundles, judgeChains, linkTargetOf', () => {
    const digest = (statements[0] as { subject: { digest: Record<string, string> }[] }).subject[0]?.digest ?? {};
    const artifacts = [{ name: 'a.txt', digest: { sha256: 'a'.repeat(64), ...digest } }];
    const chain = parseChainStages(
      ['provenance', 'sbom'],
      'require-chain',
      { repository: 'octo-org/app' },
      POLICY_RULES,
      true,
    );
    fuzz(
      'claims (judgeArtifacts, judgeChains, linkTargetOf)',
      bundleInputs,
      (b) => {
        const claim = claimedStatement(b);
        const outcome: BundleOutcome = {
          source: 'fuzz.jsonl:1',
          verified: undefined,
          failure: { check: 'signature', expected: 'x', found: 'y' },
          claimed: claim.subjects,
          ...(claim.predicateType === undefined ? {} : { claimedPredicateType: claim.predicateType }),
        };
        judgeArtifacts(artifacts, [outcome], () => []);
        unusedBundles(artifacts, [outcome]);
        judgeChains(artifacts, [outcome], chain, new Date());
        linkTargetOf({ source: 'fuzz.jsonl:1', json: b, failure: undefined }, artifacts);
      },
      { seed: 7109, numRuns: 800 },
    );
  });

  void it('regression: a claimed subject digest that is not a string is dropped, not compared as one', () => {
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      predicateType: 'https://slsa.dev/provenance/v1',
      subject: [{ name: 5, digest: { sha256: 5, sha512: 'B'.repeat(128) } }],
    };
    const bundle = {
      dsseEnvelope: {
        payloadType: 'application/vnd.in-toto+json',
        payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
      },
    };
    const claim = claimedStatement(bundle);
    // Digests read from bundles are prototype-free records: compared by their entries.
    assert.deepEqual(
      claim.subjects.map((s) => ({ name: s.name, digest: { ...s.digest } })),
      [{ name: '', digest: { sha512: 'B'.repeat(128) } }],
    );
    const artifacts = [{ name: 'a', digest: { sha256: 'a'.repeat(64), sha512: 'b'.repeat(128) } }];
    const outcome: BundleOutcome = {
      source: 's',
      verified: undefined,
      failure: { check: 'signature', expected: 'x', found: 'y' },
      claimed: claim.subjects,
    };
    assert.equal(judgeArtifacts(artifacts, [outcome], () => [])[0]?.attempts.length, 1);
    assert.equal(typeof linkTargetOf({ source: 's', json: bundle, failure: undefined }, artifacts), 'object');
  });

  void it('statementOf: arbitrary payload bytes and mutated statements', () => {
    const payload = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
      mutated(statements).map((s) => Buffer.from(JSON.stringify(s) ?? '')),
      anyJson.map((s) => Buffer.from(JSON.stringify(s) ?? '')),
    );
    const envelope = fc
      .tuple(payload, fc.constantFrom('application/vnd.in-toto+json', 'text/plain'))
      .map(([p, payloadType]): Envelope => ({ payload: p, payloadType, signatures: [] }));
    fuzz('statementOf', envelope, (e) => statementOf(e), { seed: 7104, numRuns: 1000 });
  });

  void it('verifyBundleCrypto and runCryptoJob: corpus mutants against the public-good root', () => {
    const artifact = defaultArtifact();
    const key = readFileSync(path.join(CORPUS, 'managed-key-happy-path', 'key.pub'), 'utf8');
    const input = fc.tuple(
      bundleInputs,
      fc.constantFrom<'none' | 'data' | 'digest' | 'key'>('none', 'data', 'digest', 'key'),
    );
    const optionsOf = (kind: 'none' | 'data' | 'digest' | 'key'): CryptoOptions => {
      switch (kind) {
        case 'none':
          return {};
        case 'data':
          return { artifact: { data: artifact } };
        case 'digest':
          return { artifact: { digest: { algorithm: 'sha256', hex: 'a'.repeat(64) } } };
        case 'key':
          return { key, artifact: { data: artifact } };
      }
    };
    // Only VerificationError: a bundle, however broken, is a failed check, never a crash.
    fuzz('verifyBundleCrypto', input, ([b, kind]) => verifyBundleCrypto(b, trust, optionsOf(kind)), {
      seed: 7105,
      numRuns: 300,
      allow: [],
    });
    fuzz('runCryptoJob', input, ([b, kind]) => runCryptoJob({ bundle: b, options: optionsOf(kind) }, trust), {
      seed: 7106,
      numRuns: 300,
    });
  });

  void it('validateTrustedRoot: arbitrary JSON and mutants of real trusted roots', () => {
    const roots: unknown[] = [publicGoodSnapshotDocument()];
    for (const name of ['intoto-with-custom-trust-root', 'managed-key-and-trusted-root', 'rekor2-happy-path']) {
      const file = path.join(CORPUS, name, 'trusted_root.json');
      if (existsSync(file)) roots.push(JSON.parse(readFileSync(file, 'utf8')) as unknown);
    }
    const input = fc.oneof({ arbitrary: mutated(roots), weight: 8 }, { arbitrary: anyJson, weight: 1 });
    fuzz('validateTrustedRoot', input, (r) => validateTrustedRoot(r, 'fuzz root'), { seed: 7107, numRuns: 800 });
  });

  void it('loadTrustedRoots: trusted root files (one root, JSON Lines, mutated text)', async () => {
    const root = JSON.stringify(publicGoodSnapshotDocument());
    const text = fc.oneof(
      mutatedText([root, `${root}\n${root}\n`]),
      mutated([publicGoodSnapshotDocument()]).map((r) => `${JSON.stringify(r) ?? ''}\n${root}`),
      linesOf(nastyString(30), 4),
    );
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fuzz-roots-'));
    try {
      const file = path.join(dir, 'trusted_root.jsonl');
      await fuzzAsync(
        'loadTrustedRoots',
        text,
        (t) => {
          writeFileSync(file, t);
          return loadTrustedRoots(file, dir);
        },
        { seed: 7110, numRuns: 150 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Issue #14, item 7: keys named like Object.prototype's members in what a bundle signs. Every
// subject digest gets some (beside its real algorithms), mutations add more to predicate fields,
// and the statement then goes every way verify mode and links take it, claimed and verified.
void describe('fuzz: prototype-named keys in statements', () => {
  interface RawStatement {
    subject?: unknown;
  }
  const bases: unknown[] = [ATTEST_STATEMENT, NPM_STATEMENT, GENERATOR_STATEMENT, ...statements];
  const keyed: fc.Arbitrary<unknown> = fc
    .tuple(
      mutated(bases, 3),
      fc.array(fc.tuple(prototypeKey, fc.constantFrom('a'.repeat(64), 'f'.repeat(128), 'x')), {
        minLength: 1,
        maxLength: PROTOTYPE_KEYS.length,
      }),
    )
    .map(([statement, keys]) => {
      const subjects = (statement as RawStatement | undefined)?.subject;
      if (!Array.isArray(subjects)) return statement;
      (statement as RawStatement).subject = subjects.map((s: unknown) => {
        const digest = typeof s === 'object' && s !== null ? (s as Record<string, unknown>)['digest'] : undefined;
        if (typeof digest !== 'object' || digest === null || Array.isArray(digest)) return s;
        return {
          ...(s as object),
          digest: keys.reduce<Record<string, unknown>>(
            (d, [k, v]) => withOwnKey(d, k, v),
            digest as Record<string, unknown>,
          ),
        };
      });
      return statement;
    });
  const chain = parseChainStages(
    ['provenance', 'sbom'],
    'require-chain',
    { repository: 'octo-org/octo-repo' },
    POLICY_RULES,
    true,
  );

  void it('judgeArtifacts, judgeChains, unusedBundles, linkTargetOf and requireSubject read them as data: no crash, and the real digest still matches', () => {
    fuzz(
      'prototype keys (claimed and verified statements)',
      keyed,
      (value) => {
        const payload = Buffer.from(JSON.stringify(value) ?? '');
        const bundle = {
          dsseEnvelope: { payloadType: 'application/vnd.in-toto+json', payload: payload.toString('base64') },
        };
        // Artifacts named by the subjects' real sha256, so every comparison is reached.
        const raw = (value as RawStatement | undefined)?.subject;
        const artifacts = (Array.isArray(raw) ? raw : []).flatMap((s: unknown, i) => {
          const digest = typeof s === 'object' && s !== null ? (s as Record<string, unknown>)['digest'] : undefined;
          const hex =
            typeof digest === 'object' && digest !== null && Object.hasOwn(digest, 'sha256')
              ? (digest as Record<string, unknown>)['sha256']
              : undefined;
          return typeof hex === 'string' ? [{ name: `a${i}`, digest: { sha256: hex } }] : [];
        });
        const claim = claimedStatement(bundle);
        const claimed: BundleOutcome = {
          source: 'claimed',
          verified: undefined,
          failure: { check: 'signature', expected: 'x', found: 'y' },
          claimed: claim.subjects,
          ...(claim.predicateType === undefined ? {} : { claimedPredicateType: claim.predicateType }),
        };
        const outcomes = [claimed];
        let statement;
        try {
          statement = statementOf({ payloadType: 'application/vnd.in-toto+json', payload, signatures: [] });
        } catch (err) {
          if (!(err instanceof VerificationError)) throw err;
        }
        if (statement !== undefined)
          outcomes.push({
            source: 'verified',
            verified: {
              certificate: ATTEST_CERT,
              signedAt: SIGNED_AT,
              statement,
              messageDigest: undefined,
              statementDigest: 'b'.repeat(64),
            },
            failure: undefined,
            claimed: claim.subjects,
          });
        const verdicts = judgeArtifacts(artifacts, outcomes, (b) =>
          evaluatePolicy({ repository: 'octo-org/octo-repo' }, b, SIGNED_AT),
        );
        unusedBundles(artifacts, outcomes);
        judgeChains(artifacts, outcomes, chain, SIGNED_AT);
        linkTargetOf({ source: 'fuzz', json: bundle, failure: undefined }, artifacts);
        for (const [i, artifact] of artifacts.entries()) {
          if (statement === undefined) continue;
          // The keys beside sha256 are algorithms the artifact lacks: they neither match nor hide the match.
          const covered = verdicts[i]?.attempts.some((a) => a.source === 'verified');
          const listed = statement.subject.some(
            (s) =>
              Object.hasOwn(s.digest, 'sha256') &&
              s.digest['sha256']?.toLowerCase() === artifact.digest.sha256.toLowerCase(),
          );
          if (listed && /^[0-9a-f]{64}$/i.test(artifact.digest.sha256)) {
            assert.ok(covered, `artifact ${artifact.digest.sha256} is a subject but no verified attempt covers it`);
            requireSubject(statement, { digest: { algorithm: 'sha256', hex: artifact.digest.sha256 } });
          }
        }
      },
      { seed: 7110, numRuns: 600 },
    );
  });

  void it('regression: a subject digest keyed __proto__, constructor and toString beside sha256 matches by sha256 alone', () => {
    const hex = 'e'.repeat(64);
    const digest = JSON.parse(
      `{"__proto__": "${'a'.repeat(64)}", "constructor": "x", "toString": "y", "sha256": "${hex}"}`,
    ) as Record<string, string>;
    const statement = statementOf({
      payloadType: 'application/vnd.in-toto+json',
      payload: Buffer.from(JSON.stringify({ ...ATTEST_STATEMENT, subject: [{ name: 'a', digest }] })),
      signatures: [],
    });
    assert.ok(statement);
    assert.deepEqual(Object.keys(statement.subject[0]?.digest ?? {}).sort(), [
      '__proto__',
      'constructor',
      'sha256',
      'toString',
    ]);
    const outcome: BundleOutcome = {
      source: 'v',
      verified: { certificate: ATTEST_CERT, signedAt: SIGNED_AT, statement, messageDigest: undefined },
      failure: undefined,
      claimed: [],
    };
    const [verdict] = judgeArtifacts([{ name: 'a', digest: { sha256: hex } }], [outcome], () => []);
    assert.equal(verdict?.passed, true);
  });
});

void describe('fuzz: statements as the policy reads them', () => {
  const certs = [ATTEST_CERT, NPM_CERT, GENERATOR_CERT];
  const policy: Policy = {
    repository: 'octo-org/octo-repo',
    signerWorkflow: ['octo-org/octo-repo/.github/workflows/release.yml'],
    sourceRef: ['refs/tags/v*'],
    sourceDigest: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
    builderId: 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0',
    denySelfHostedRunners: true,
    maxAge: 3600,
    certificateIdentityRegexp: '^https://github\\.com/octo-org/.*$',
  };
  void it('statementOf, then evaluatePolicy and predicateMatchesCertificate, on mutated provenance statements', () => {
    const input = fc.tuple(
      mutated([ATTEST_STATEMENT, NPM_STATEMENT, GENERATOR_STATEMENT, ...statements]),
      fc.nat({ max: certs.length - 1 }),
    );
    fuzz(
      'evaluatePolicy',
      input,
      ([value, which]) => {
        const statement = statementOf({
          payloadType: 'application/vnd.in-toto+json',
          payload: Buffer.from(JSON.stringify(value) ?? ''),
          signatures: [],
        });
        if (statement === undefined) return;
        const certificate = certs[which];
        predicateMatchesCertificate(statement, certificate ?? ATTEST_CERT);
        evaluatePolicy(
          policy,
          { certificate, signedAt: SIGNED_AT, statement, messageDigest: undefined },
          new Date(SIGNED_AT.getTime() + 1000),
        );
      },
      { seed: 7108, numRuns: 800 },
    );
  });

  void it('regression: a predicate field nested 100,000 deep is shown in a failure, not a RangeError', () => {
    const deep = JSON.parse(deepJSON(100_000, 'object')) as unknown;
    const statement = structuredClone(ATTEST_STATEMENT);
    (statement.predicate['runDetails'] as { builder: { id: unknown } }).builder.id = { a: deep };
    const failures = predicateMatchesCertificate(statement, ATTEST_CERT);
    assert.ok(
      failures.some((f) => /nested more than/.test(f.found)),
      JSON.stringify(failures),
    );
    // And String() is never called on an object whose "toString" is not a function.
    (statement.predicate['runDetails'] as { builder: { id: unknown } }).builder.id = { toString: 0 };
    predicateMatchesCertificate(statement, ATTEST_CERT);
  });

  void it(`a predicate document nested deeper than ${MAX_PREDICATE_DEPTH} levels is refused before it is signed`, () => {
    refusesQuickly(
      () => parseDocument(deepJSON(MAX_PREDICATE_DEPTH + 1, 'object'), 'predicate-path "deep.json"'),
      ProvenanceError,
      1_000,
      /nests more than/,
    );
    refusesQuickly(
      () => parseDocument(deepJSON(100_000), 'predicate-path "deep.json"'),
      ProvenanceError,
      2_000,
      /nests more than/,
    );
    assert.ok(parseDocument(deepJSON(MAX_PREDICATE_DEPTH, 'object'), 'predicate-path "ok.json"'));
  });
});

void describe('fuzz: bundle limits', () => {
  void it('parseBundleText refuses a text over MAX_BUNDLE_FILE_BYTES as one failed bundle', () => {
    // A string of the limit's length plus one, made without building a second copy.
    const text = 'x'.repeat(MAX_BUNDLE_FILE_BYTES + 1);
    const started = performance.now();
    const loaded = parseBundleText(text, 'huge.jsonl');
    assert.ok(performance.now() - started < 2_000);
    assert.equal(loaded.length, 1);
    assert.match(loaded[0]?.failure?.expected ?? '', /at most/);
  });

  void it('parseBundleText refuses more than MAX_BUNDLES_PER_FILE lines without splitting them', () => {
    const loaded = parseBundleText('1\n'.repeat(MAX_BUNDLES_PER_FILE + 1), 'many.jsonl');
    assert.equal(loaded.length, 1);
    assert.match(loaded[0]?.failure?.found ?? '', /lines/);
    // At the limit it is read.
    assert.equal(parseBundleText('1\n'.repeat(MAX_BUNDLES_PER_FILE), 'many.jsonl').length, MAX_BUNDLES_PER_FILE);
  });

  void it('bundles nested deeper than MAX_BUNDLE_DEPTH fail bundle-format before any walker recurses', () => {
    const loaded = parseBundleText(deepJSON(100_000), 'deep.json');
    assert.equal(loaded.length, 1);
    assert.match(loaded[0]?.failure?.expected ?? '', new RegExp(`${MAX_BUNDLE_DEPTH} levels`));
    const lines = parseBundleText(`${deepJSON(MAX_BUNDLE_DEPTH + 1, 'object')}\n{}`, 'deep.jsonl');
    assert.equal(lines.length, 2);
    assert.ok(lines[0]?.failure !== undefined && lines[1]?.failure === undefined);
    // The real bundles are far from it.
    for (const b of bundles) assert.equal(loadedJSON('real.json', b).failure, undefined);
    // Bundles that arrive parsed (from registries) are refused the same way.
    assert.match(
      loadedJSON('registry', JSON.parse(deepJSON(MAX_BUNDLE_DEPTH + 1, 'object'))).failure?.expected ?? '',
      new RegExp(`${MAX_BUNDLE_DEPTH} levels`),
    );
  });

  void it('validateTrustedRoot refuses nesting deeper than MAX_TRUSTED_ROOT_DEPTH (regression: RangeError from withoutNulls)', () => {
    const deep = {
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: JSON.parse(deepJSON(100_000)) as unknown,
    };
    refusesQuickly(
      () => validateTrustedRoot(deep, 'deep'),
      VerificationError,
      2_000,
      new RegExp(`${MAX_TRUSTED_ROOT_DEPTH} levels`),
    );
  });

  void it('parseBundle on 100,000-deep JSON throws a VerificationError (regression: RangeError from checkFields)', () => {
    const deep = {
      mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
      verificationMaterial: JSON.parse(deepJSON(100_000)) as unknown,
    };
    refusesQuickly(() => parseBundle(deep), VerificationError, 2_000, /64 levels/);
  });

  void it('statementOf refuses a signed statement nested deeper than any predicate needs', () => {
    const payload = Buffer.from(
      JSON.stringify({
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: 'a', digest: { sha256: 'a'.repeat(64) } }],
        predicateType: 'x:y',
        predicate: { deep: JSON.parse(deepJSON(1_000)) as unknown },
      }),
    );
    refusesQuickly(
      () => statementOf({ payloadType: 'application/vnd.in-toto+json', payload, signatures: [] }),
      VerificationError,
      2_000,
      /levels of nesting/,
    );
  });
});
