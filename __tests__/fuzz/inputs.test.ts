// Fuzzing the parsers of files and values a workflow hands us: checksums files, policy files (and
// their YAML subset), require-chain lines, Kubernetes/Compose manifests and the image references in
// them, stage documents, links, SigningConfig files, Docker config files and credential helper
// answers, and OIDC token claims. Each must return or refuse with the project's own error.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { ProvenanceError } from '../../src/common/errors.ts';
import { githubClaimsFrom } from '../../src/attest/context/claims.ts';
import { GITHUB_COM_ISSUER } from '../../src/attest/context/issuers.ts';
import { verifyToken } from '../../src/attest/context/token.ts';
import { helperCredentials, MAX_HELPER_OUTPUT } from '../../src/registry/cred-helper.ts';
import { MAX_DOCKER_CONFIG_BYTES, parseDockerConfig, readDockerConfig } from '../../src/registry/docker-config.ts';
import { parseImageReference } from '../../src/registry/reference.ts';
import { MAX_SIGNING_CONFIG_BYTES, planFromSigningConfig } from '../../src/attest/signing/instance.ts';
import { stagePredicate } from '../../src/attest/stages/index.ts';
import { linkedDigests, withLinks } from '../../src/stages/links.ts';
import { LINKS_FIELD, SLSA_PROVENANCE_V1, STAGE_NAMES, VSA_V1, type StageName } from '../../src/stages/presets.ts';
import { isChecksumLine, MAX_CHECKSUMS_BYTES, parseChecksums } from '../../src/subjects/checksums.ts';
import { MAX_CHAIN_STAGES, parseChainStages } from '../../src/verify/chain/spec.ts';
import { imagesInManifest, MAX_MANIFEST_FILE_BYTES } from '../../src/verify/sources/manifests.ts';
import { POLICY_RULES, policyFromInputs } from '../../src/verify/policy/index.ts';
import { MAX_POLICY_FILE_BYTES, parsePolicyFile } from '../../src/verify/policy/policy-file.ts';
import { parsePolicyYaml, PolicyYamlError } from '../../src/verify/policy/policy-yaml.ts';
import { REPO_ROOT } from '../verify/crypto/corpus.ts';
import { imageUses } from '../../src/verify/sources/sources.ts';
import { workspaceFileReader } from '../../src/verify/verify.ts';
import { loadTrustedRoots, MAX_TRUSTED_ROOT_FILE_BYTES } from '../../src/verify/trust/load.ts';
import { VerificationError } from '../../src/verify/types.ts';
import { anyJson, fuzz, fuzzAsync, linesOf, mutated, mutatedText, nastyString, refusesQuickly } from './harness.ts';

const FIXTURES = path.join(REPO_ROOT, '__tests__/fixtures');
const hex = (n: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: n, maxLength: n });

void describe('fuzz: checksums files', () => {
  const real = readFileSync(path.join(FIXTURES, 'real-world/artifacts/checksums.txt'), 'utf8');
  const name = nastyString(30);
  const line = fc.oneof(
    fc
      .tuple(
        fc.constantFrom('', '\\'),
        fc.oneof(hex(64), hex(96), hex(128), hex(63), hex(65)),
        fc.constantFrom(' ', '*', '  '),
        name,
      )
      .map(([e, h, sep, n]) => `${e}${h} ${sep}${n}`),
    fc
      .tuple(
        fc.constantFrom('', '\\'),
        fc.constantFrom('SHA256', 'SHA384', 'SHA512', 'SHA2-256', 'SHA1'),
        fc.constantFrom(' ', ''),
        name,
        fc.oneof(hex(64), hex(96), hex(128), hex(10)),
      )
      .map(([e, a, s, n, h]) => `${e}${a}${s}(${n})${s}= ${h}`),
    nastyString(80),
    fc.constantFrom('# comment', '', '   ', `${'a'.repeat(64)}  ${'\\'.repeat(20)}n`),
  );
  void it('parseChecksums and isChecksumLine: generated lines and the real-world file mutated', () => {
    const text = fc.oneof(linesOf(line, 20), mutatedText([real]));
    fuzz(
      'parseChecksums',
      text,
      (t) => {
        isChecksumLine(t);
        parseChecksums(t, 'subject-checksums');
      },
      { seed: 7201, numRuns: 1000 },
    );
  });
  void it(`refuses a listing over ${MAX_CHECKSUMS_BYTES} bytes before splitting it`, () => {
    refusesQuickly(
      () => parseChecksums('x'.repeat(MAX_CHECKSUMS_BYTES + 1), 'subject-checksums'),
      ProvenanceError,
      1_000,
      /larger than/,
    );
  });
});

void describe('fuzz: policy files', () => {
  const ruleNames = [
    ...Object.keys(POLICY_RULES),
    'require-chain',
    'policy',
    'unknown-rule',
    '__proto__',
    'constructor',
  ];
  const scalar = fc.oneof(
    nastyString(30),
    nastyString(20).map((s) => `"${s}"`),
    nastyString(20).map((s) => `'${s}'`),
    fc.constantFrom(
      'true',
      'no',
      '~',
      'null',
      '[a, b]',
      '{a: b}',
      '|',
      '&anchor',
      '*alias',
      '!tag',
      '"\\u12"',
      '"\\x41"',
      "'it''s'",
      'octo-org/octo-repo',
      '30d',
      '^https://github\\.com/.*$',
      '(',
      'a)|(b',
    ),
  );
  const yamlLine = fc.oneof(
    {
      arbitrary: fc
        .tuple(fc.constantFrom(...ruleNames), scalar, fc.constantFrom('', ' # c'))
        .map(([k, v, c]) => `${k}: ${v}${c}`),
      weight: 4,
    },
    { arbitrary: fc.constantFrom(...ruleNames).map((k) => `${k}:`), weight: 1 },
    { arbitrary: fc.tuple(fc.constantFrom('  ', '', '\t', '    '), scalar).map(([i, v]) => `${i}- ${v}`), weight: 3 },
    {
      arbitrary: fc.constantFrom(
        '---',
        '...',
        '%YAML 1.2',
        '# comment',
        '',
        '\uFEFFrepository: a/b',
        '? key',
        'a b: c',
      ),
      weight: 1,
    },
    { arbitrary: nastyString(40), weight: 1 },
  );
  const sampleYaml = [
    '# policy',
    'repository: octo-org/octo-repo',
    'signer-workflow:',
    '  - octo-org/octo-repo/.github/workflows/release.yml',
    "source-ref: 'refs/tags/v*'",
    'max-age: 30d',
    'deny-self-hosted-runners: true',
    'require-chain:',
    '  - provenance signer-workflow=octo-org/octo-repo/.github/workflows/release.yml',
    '  - sbom',
  ].join('\n');
  const sampleJson = {
    repository: 'octo-org/octo-repo',
    'signer-workflow': ['octo-org/octo-repo/.github/workflows/release.yml'],
    'max-age': 3600,
    'deny-self-hosted-runners': true,
    'source-ref': 'refs/heads/main',
  };
  const text = fc.oneof(
    { arbitrary: linesOf(yamlLine, 14), weight: 5 },
    { arbitrary: mutatedText([sampleYaml, JSON.stringify(sampleJson)]), weight: 2 },
    { arbitrary: mutated([sampleJson]).map((v) => JSON.stringify(v) ?? ''), weight: 2 },
    { arbitrary: anyJson.map((v) => JSON.stringify(v) ?? ''), weight: 1 },
  );
  const file = fc.tuple(fc.constantFrom('policy.yml', 'policy.json', 'POLICY.JSON', 'p'), text);

  void it('parsePolicyYaml: generated YAML-ish lines', () => {
    fuzz('parsePolicyYaml', linesOf(yamlLine, 14), (t) => parsePolicyYaml(t), {
      seed: 7202,
      numRuns: 1500,
      allow: [PolicyYamlError],
    });
  });
  void it('parsePolicyFile, and policyFromInputs over it (every rule parser, require-chain included)', () => {
    fuzz('parsePolicyFile', file, ([p, t]) => parsePolicyFile(p, t), { seed: 7203, numRuns: 1000 });
    fuzz(
      'policyFromInputs',
      file,
      ([p, t]) =>
        policyFromInputs(
          (name) => (name === 'policy' ? p : ''),
          () => t,
        ),
      { seed: 7204, numRuns: 800 },
    );
  });
  void it('parseChainStages: require-chain lines', () => {
    const token = fc.oneof(
      fc
        .tuple(
          fc.constantFrom(...Object.keys(POLICY_RULES), 'predicate-type', 'require-chain', 'nope'),
          fc.oneof(
            nastyString(20),
            fc.constantFrom('octo-org/app/.github/workflows/x.yml', 'octo-org/app', 'refs/tags/v*', '(', '30d'),
          ),
        )
        .map(([k, v]) => `${k}=${v}`),
      nastyString(12),
    );
    const stageLine = fc
      .tuple(
        fc.oneof(
          fc.constantFrom(...STAGE_NAMES),
          fc.constantFrom('https://example.com/x/v1', 'urn:x', 'x:', '#'),
          nastyString(10),
        ),
        fc.array(token, { maxLength: 4 }),
      )
      .map(([s, t]) => [s, ...t].join(' '));
    const lines = fc.array(stageLine, { maxLength: MAX_CHAIN_STAGES + 3 });
    fuzz(
      'parseChainStages',
      fc.tuple(lines, fc.boolean()),
      ([l, hasKey]) => parseChainStages(l, 'require-chain', { repository: 'octo-org/app' }, POLICY_RULES, hasKey),
      { seed: 7205, numRuns: 1500 },
    );
  });
  void it(`refuses a policy file over ${MAX_POLICY_FILE_BYTES} bytes`, () => {
    refusesQuickly(
      () => parsePolicyFile('p.yml', 'x'.repeat(100 * 1024 * 1024)),
      ProvenanceError,
      1_000,
      /larger than/,
    );
    // Multi-byte text is measured in UTF-8 bytes, not characters.
    refusesQuickly(
      () => parsePolicyFile('p.json', `{"a":"${'é'.repeat(MAX_POLICY_FILE_BYTES / 2)}"}`),
      ProvenanceError,
      1_000,
      /larger than/,
    );
  });
});

void describe('fuzz: manifests and image references', () => {
  const ref = fc.oneof(
    fc
      .tuple(
        fc.constantFrom(
          '',
          'ghcr.io/',
          'localhost:5000/',
          'Registry/',
          '[::1]:5000/',
          'index.docker.io/',
          'a.b:99999999999/',
        ),
        fc.constantFrom('app', 'org/app', 'a__b', 'a--b', 'A', '', 'a/'.repeat(200)),
        fc.constantFrom(
          '',
          ':1.2',
          ':latest',
          ':-x',
          `@sha256:${'a'.repeat(64)}`,
          '@sha256:abc',
          `:${'t'.repeat(130)}`,
        ),
      )
      .map(([r, n, t]) => `${r}${n}${t}`),
    nastyString(40),
  );
  const manifestLine = fc.oneof(
    fc
      .tuple(
        fc.constantFrom('', '  ', '- ', '    - '),
        fc.oneof(
          ref,
          ref.map((r) => `"${r}"`),
          ref.map((r) => `'${r}'`),
        ),
        fc.constantFrom('', ' # pinned', '  '),
      )
      .map(([i, r, c]) => `${i}image: ${r}${c}`),
    nastyString(60),
    fc.constantFrom('---', 'kind: Deployment', 'image:', 'image: ${TAG}', 'image: {{ .Values.image }}'),
  );
  void it('imagesInManifest, then parseImageReference on every image found', () => {
    fuzz(
      'imagesInManifest',
      linesOf(manifestLine, 16),
      (t) => {
        for (const use of imagesInManifest(t, 'deploy.yaml')) {
          try {
            parseImageReference(use.image, 'manifests');
          } catch (err) {
            if (!(err instanceof ProvenanceError)) throw err;
          }
        }
      },
      { seed: 7206, numRuns: 1500 },
    );
    fuzz('parseImageReference', ref, (r) => parseImageReference(r), { seed: 7207, numRuns: 2000 });
  });
  void it(`refuses a manifest file over ${MAX_MANIFEST_FILE_BYTES} bytes`, () => {
    refusesQuickly(
      () => imagesInManifest(`image: a\n${'x'.repeat(MAX_MANIFEST_FILE_BYTES)}`, 'big.yaml'),
      ProvenanceError,
      1_000,
      /larger than/,
    );
  });
  void it('a long line of spaces is linear, not a backtracking hang', () => {
    const started = performance.now();
    // The first names no image, which is refused: only the time matters here.
    assert.throws(() => imagesInManifest(`image:${' '.repeat(1_000_000)}#`, 'spaces.yaml'), ProvenanceError);
    imagesInManifest(`${' '.repeat(1_000_000)}- x`, 'spaces.yaml');
    assert.ok(performance.now() - started < 1_000);
  });
});

void describe('fuzz: stage documents and links', () => {
  const dir = path.join(FIXTURES, 'stages');
  // The fixtures as tools wrote them, and minimal documents of each format (few paths, so every
  // mutation lands on a field the converter reads).
  const minimal: unknown[] = [
    {
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'trivy',
              version: '1',
              rules: [
                { id: 'CVE-1', properties: { 'security-severity': '7.5' }, defaultConfiguration: { level: 'error' } },
              ],
            },
          },
          results: [{ ruleId: 'CVE-1', ruleIndex: 0, level: 'error' }],
          invocations: [{ startTimeUtc: '2024-01-01T00:00:00Z' }],
        },
      ],
    },
    {
      matches: [
        { vulnerability: { id: 'CVE-1', severity: 'High', cvss: [{ version: '3.1', metrics: { baseScore: 7.5 } }] } },
      ],
      descriptor: {
        name: 'grype',
        version: '0.80.0',
        timestamp: '2024-01-01T00:00:00Z',
        db: { built: '2024-01-01T00:00:00Z', schemaVersion: 5 },
      },
    },
    {
      SchemaVersion: 2,
      CreatedAt: '2024-01-01T00:00:00Z',
      Trivy: { Version: '0.50' },
      Results: [{ Vulnerabilities: [{ VulnerabilityID: 'CVE-1', Severity: 'HIGH' }] }],
    },
    {
      '@context': 'https://openvex.dev/ns/v0.2.0',
      statements: [{ vulnerability: { name: 'CVE-1' }, status: 'fixed' }],
    },
    { spdxVersion: 'SPDX-2.3' },
    { bomFormat: 'CycloneDX', specVersion: '1.6' },
    [{ filename: 'a.yaml', namespace: 'main', successes: 1, failures: [{ msg: 'no' }], warnings: [] }],
    { result: 'pass', reviewLink: 'https://example.com', timestamp: '2024-01-01T00:00:00Z' },
  ];
  const documents = [
    ...readdirSync(dir).map((f) => JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as unknown),
    ...minimal,
  ];
  const ctx = {
    now: new Date('2025-01-01T00:00:00Z'),
    github: {
      serverURL: 'https://github.com',
      repository: 'o/r',
      runId: '1',
      runAttempt: '1',
      actor: 'a',
      environment: undefined,
    },
  };
  const stages = STAGE_NAMES.filter(
    (s): s is Exclude<StageName, 'provenance' | 'source'> => s !== 'provenance' && s !== 'source',
  );

  // Each stage with the documents it takes; other pairings test the refusals.
  const formatOf = (d: unknown): Exclude<StageName, 'provenance' | 'source'> => {
    const keys = Array.isArray(d) ? ['conftest'] : typeof d === 'object' && d !== null ? Object.keys(d) : [];
    if (keys.some((k) => ['runs', 'matches', 'SchemaVersion', 'scanner'].includes(k))) return 'vulns';
    if (
      keys.some((k) => ['spdxVersion', 'bomFormat', '@graph'].includes(k)) ||
      (keys.includes('@context') && !keys.includes('statements'))
    )
      return 'sbom';
    if (keys.includes('statements')) return 'vex';
    if (keys.includes('reviewLink')) return 'approval';
    return 'policy';
  };
  const paired = fc.nat({ max: documents.length - 1 }).chain((i) => {
    const base = documents[i];
    return fc.tuple(fc.constant(formatOf(base)), mutated([base]));
  });
  const unpaired = fc.tuple(fc.constantFrom(...stages), fc.oneof(mutated(documents), anyJson));

  void it('stagePredicate: every stage on mutated SBOMs, scanner reports, VEX, policy results', () => {
    fuzz(
      'stagePredicate',
      fc
        .tuple(fc.oneof({ arbitrary: paired, weight: 4 }, { arbitrary: unpaired, weight: 1 }), fc.boolean())
        .map(([[stage, doc], inGitHub]) => [stage, doc, inGitHub] as const),
      ([stage, d, inGitHub]) => {
        const document = typeof d === 'object' && d !== null ? d : undefined;
        stagePredicate(
          stage,
          document,
          'predicate-path "doc.json"',
          inGitHub ? ctx : { now: ctx.now, github: undefined },
        );
      },
      { seed: 7208, numRuns: 1500 },
    );
  });

  void it('regression: a SARIF driver name or Grype version with a lone surrogate is refused, not a URIError', () => {
    const sarif = { version: '2.1.0', runs: [{ tool: { driver: { name: 'scan\uD800' } }, results: [] }] };
    const grype = { matches: [], descriptor: { name: 'grype', version: '0.1\uDFFF' } };
    for (const doc of [sarif, grype]) {
      assert.throws(
        () => stagePredicate('vulns', doc, 'doc', ctx),
        (err: unknown) => err instanceof ProvenanceError && /surrogate|Unicode/.test(err.message),
      );
    }
  });

  void it('linkedDigests and withLinks: mutated predicates', () => {
    const digest = 'a'.repeat(64);
    const predicate = {
      buildDefinition: {
        resolvedDependencies: [
          { uri: 'git+https://x', digest: { gitCommit: 'b'.repeat(40) } },
          { name: 'x', digest: { sha256: digest }, mediaType: 'application/vnd.in-toto+json' },
        ],
      },
      inputAttestations: [{ digest: { sha256: digest } }],
      [LINKS_FIELD]: [{ digest: { sha256: digest } }],
    };
    const input = fc.tuple(
      fc.oneof(mutated([predicate, ...documents]), anyJson),
      fc.constantFrom(SLSA_PROVENANCE_V1, VSA_V1, 'https://example.com/x'),
    );
    fuzz(
      'linkedDigests',
      input,
      ([p, type]) => {
        if (typeof p !== 'object' || p === null || Array.isArray(p)) return;
        const record = p as Record<string, unknown>;
        linkedDigests(record);
        linkedDigests(withLinks(type, record, [{ statementDigest: digest, predicateType: type, source: 'x' }]));
      },
      { seed: 7209, numRuns: 1500 },
    );
  });
});

void describe('fuzz: SigningConfig, Docker config, credential helpers, OIDC claims', () => {
  const service = (url: string): Record<string, unknown> => ({
    url,
    majorApiVersion: 1,
    validFor: { start: '2024-01-01T00:00:00Z' },
  });
  const signingConfig = {
    mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
    caUrls: [service('https://fulcio.example')],
    rekorTlogUrls: [service('https://rekor.example')],
    tsaUrls: [service('https://tsa.example')],
    rekorTlogConfig: { selector: 'ANY' },
  };
  void it('planFromSigningConfig: mutated SigningConfigs', () => {
    fuzz(
      'planFromSigningConfig',
      fc.oneof(mutated([signingConfig]), anyJson),
      (c) => planFromSigningConfig(c, 'signing.json', Date.parse('2025-01-01T00:00:00Z')),
      { seed: 7210, numRuns: 1500 },
    );
  });

  const dockerConfig = {
    auths: {
      'https://index.docker.io/v1/': { auth: Buffer.from('user:pass').toString('base64') },
      'ghcr.io': { username: 'u', password: 'p', identitytoken: 't' },
    },
    credHelpers: { 'gcr.io': 'gcloud' },
    credsStore: 'desktop',
    proxies: { default: { httpProxy: 'http://proxy' } },
  };
  void it('parseDockerConfig and helperCredentials: mutated configs and helper answers', () => {
    const text = fc.oneof(
      mutated([dockerConfig]).map((v) => JSON.stringify(v) ?? ''),
      mutatedText([JSON.stringify(dockerConfig)]),
      nastyString(60),
    );
    fuzz('parseDockerConfig', text, (t) => parseDockerConfig(t, '/home/u/.docker/config.json'), {
      seed: 7211,
      numRuns: 1500,
    });
    const fail = (why: string): ProvenanceError =>
      new ProvenanceError('REGISTRY_AUTH_FAILED', `credential helper ${why}`, 'fix it');
    const answer = { ServerURL: 'ghcr.io', Username: 'u', Secret: 's' };
    const stdout = fc.oneof(
      mutated([answer]).map((v) => JSON.stringify(v) ?? ''),
      mutatedText([JSON.stringify(answer)]),
      nastyString(40),
    );
    fuzz('helperCredentials', stdout, (s) => helperCredentials(s, fail), { seed: 7212, numRuns: 1500 });
  });
  void it(`refuses a Docker config over ${MAX_DOCKER_CONFIG_BYTES} bytes; a helper answer is cut at ${MAX_HELPER_OUTPUT} characters`, () => {
    refusesQuickly(
      () => parseDockerConfig('x'.repeat(100 * 1024 * 1024), 'config.json'),
      ProvenanceError,
      1_000,
      /larger than/,
    );
    const fail = (why: string): ProvenanceError =>
      new ProvenanceError('REGISTRY_AUTH_FAILED', `credential helper ${why}`, 'fix it');
    refusesQuickly(
      () => helperCredentials(`{"Username":"${'u'.repeat(MAX_HELPER_OUTPUT)}`.slice(0, MAX_HELPER_OUTPUT), fail),
      ProvenanceError,
      1_000,
      /more than/,
    );
    assert.ok(MAX_SIGNING_CONFIG_BYTES > 0);
  });

  const claims = {
    iss: GITHUB_COM_ISSUER,
    repository: 'octo-org/octo-repo',
    repository_owner: 'octo-org',
    repository_id: '1',
    repository_owner_id: '2',
    repository_visibility: 'public',
    ref: 'refs/heads/main',
    sha: 'a'.repeat(40),
    workflow_ref: 'octo-org/octo-repo/.github/workflows/x.yml@refs/heads/main',
    job_workflow_ref: 'octo-org/octo-repo/.github/workflows/x.yml@refs/heads/main',
    event_name: 'push',
    run_id: '3',
    run_attempt: '1',
    runner_environment: 'github-hosted',
  };
  void it('githubClaimsFrom: mutated token payloads', () => {
    fuzz(
      'githubClaimsFrom',
      fc.oneof(mutated([claims]), fc.dictionary(nastyString(10), anyJson)),
      (p) => {
        if (typeof p === 'object' && p !== null && !Array.isArray(p)) githubClaimsFrom(p as Record<string, unknown>);
      },
      { seed: 7213, numRuns: 1000 },
    );
  });
  void it('verifyToken: arbitrary JWT-shaped text (issuer keys unreachable)', async () => {
    const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v) ?? '').toString('base64url');
    const jwt = fc.oneof(
      nastyString(60),
      fc
        .tuple(anyJson, fc.oneof(mutated([claims]), anyJson), nastyString(10))
        .map(([h, p, s]) => `${b64(h)}.${b64(p)}.${s}`),
    );
    const original = globalThis.fetch;
    globalThis.fetch = (): Promise<Response> => Promise.reject(new TypeError('fetch failed'));
    try {
      await fuzzAsync(
        'verifyToken',
        jwt,
        (t) => verifyToken(t, {}, { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, timeoutMs: 100 }),
        { seed: 7214, numRuns: 800 },
      );
    } finally {
      globalThis.fetch = original;
    }
  });
});

void describe('fuzz: regressions of values whose "toString" is not a function', () => {
  // Found by planFromSigningConfig's fuzzing (seed 13): Number() of such an object throws a TypeError.
  void it('planFromSigningConfig skips a service whose majorApiVersion is an object', () => {
    const service = (url: string, majorApiVersion: unknown): Record<string, unknown> => ({
      url,
      majorApiVersion,
      validFor: { start: '2024-01-01T00:00:00Z' },
    });
    const config = {
      mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
      caUrls: [service('https://fulcio.example', [{ toString: 0 }]), service('https://fulcio2.example', '1')],
      tsaUrls: [service('https://tsa.example', { toString: 0 })],
      rekorTlogUrls: [service('https://rekor.example', 1)],
    };
    const plan = planFromSigningConfig(config, 'signing.json', Date.parse('2025-01-01T00:00:00Z'));
    assert.equal(plan.fulcioURL, 'https://fulcio2.example');
    assert.equal(plan.tsaURL, undefined);
  });
});

void describe('fuzz: file limits are checked before a file is read', () => {
  // Sparse files: their size is real to stat, and costs no disk or memory until read.
  void it('trusted root, Docker config, policy and manifests files over their limits', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fuzz-limits-'));
    const sparse = (name: string, size: number): string => {
      const file = path.join(dir, name);
      writeFileSync(file, '');
      truncateSync(file, size);
      return file;
    };
    try {
      sparse('root.json', MAX_TRUSTED_ROOT_FILE_BYTES + 1);
      await assert.rejects(
        loadTrustedRoots('root.json', dir),
        (err: unknown) => err instanceof VerificationError && /at most 4194304 bytes/.test(err.message),
      );
      sparse('config.json', MAX_DOCKER_CONFIG_BYTES + 1);
      await assert.rejects(
        readDockerConfig({ DOCKER_CONFIG: dir }),
        (err: unknown) => err instanceof ProvenanceError && /more than 4194304/.test(err.message),
      );
      sparse('policy.yml', MAX_POLICY_FILE_BYTES + 1);
      assert.throws(
        () => policyFromInputs((n) => (n === 'policy' ? 'policy.yml' : ''), workspaceFileReader(dir)),
        (err: unknown) => err instanceof ProvenanceError && /more than 1048576/.test(err.message),
      );
      sparse('deploy.yaml', MAX_MANIFEST_FILE_BYTES + 1);
      await assert.rejects(
        imageUses('', 'deploy.yaml', dir),
        (err: unknown) => err instanceof ProvenanceError && /more than 67108864/.test(err.message),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
