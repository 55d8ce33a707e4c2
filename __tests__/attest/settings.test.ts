import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attestSettings } from '../../src/attest/settings.ts';
import { ProvenanceError, type ErrorCode } from '../../src/common/errors.ts';
import { parseFlags, ATTEST_FLAGS } from '../../src/inputs/cli-flags.ts';

const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';
const fails = (code: ErrorCode, text: RegExp) => (err: unknown) =>
  err instanceof ProvenanceError && err.code === code && text.test(err.toLine());

describe('attestSettings', () => {
  it('defaults to SLSA provenance, auto instance, a summary', () => {
    const s = attestSettings(reader({ 'subject-path': 'dist/*' }));
    assert.deepEqual(s.predicate, { kind: 'provenance' });
    assert.deepEqual(s.sigstore, { kind: 'choice', choice: 'auto' });
    assert.equal(s.showSummary, true);
    assert.equal(s.bundlePath, undefined);
  });

  const errors: [string, Record<string, string>, ErrorCode, RegExp][] = [
    ['no subject input', {}, 'INPUT_CONFLICT', /subject-path, subject-digest .* subject-checksums/],
    ['predicate without type', { 'subject-path': 'a', predicate: '{}' }, 'INPUT_CONFLICT', /without predicate-type/],
    [
      'type without predicate',
      { 'subject-path': 'a', 'predicate-type': 'https://spdx.dev/Document/v2.3' },
      'INPUT_CONFLICT',
      /without predicate or predicate-path/,
    ],
    [
      'both predicate forms',
      { 'subject-path': 'a', 'predicate-type': 'https://x/y', predicate: '{}', 'predicate-path': 'p.json' },
      'INPUT_CONFLICT',
      /both set/,
    ],
    [
      'type not a URI',
      { 'subject-path': 'a', 'predicate-type': 'spdx', predicate: '{}' },
      'INPUT_INVALID',
      /not a URI/,
    ],
    ['unknown sigstore', { 'subject-path': 'a', sigstore: 'staging' }, 'INPUT_INVALID', /sigstore: "staging"/],
    [
      'bad boolean',
      { 'subject-path': 'a', 'show-summary': 'yes' },
      'INPUT_INVALID',
      /show-summary: "yes" is not true or false/,
    ],
  ];
  for (const [label, inputs, code, text] of errors) {
    it(`rejects ${label}`, () => assert.throws(() => attestSettings(reader(inputs)), fails(code, text)));
  }

  it('accepts a custom predicate and a signing-config path', () => {
    const s = attestSettings(
      reader({
        'subject-path': 'a',
        'predicate-type': 'https://cyclonedx.org/bom',
        'predicate-path': 'sbom.json',
        sigstore: 'config/signing.json',
      }),
    );
    assert.deepEqual(s.predicate, { kind: 'file', type: 'https://cyclonedx.org/bom', path: 'sbom.json' });
    assert.deepEqual(s.sigstore, { kind: 'signing-config', path: 'config/signing.json' });
  });
});

describe('parseFlags', () => {
  it('reads --name value, --name=value, bare booleans and repeats', () => {
    const f = parseFlags(
      ['--subject-path', 'a', '--subject-path=b', '--show-summary', '--sigstore', 'github'],
      ATTEST_FLAGS,
    );
    assert.equal(f.get('subject-path'), 'a\nb');
    assert.equal(f.get('show-summary'), 'true');
    assert.equal(f.get('sigstore'), 'github');
    assert.equal(parseFlags(['--show-summary', 'false'], ATTEST_FLAGS).get('show-summary'), 'false');
  });
  it('names an unknown flag and lists the valid ones', () => {
    assert.throws(
      () => parseFlags(['--subject'], ATTEST_FLAGS),
      fails('INPUT_INVALID', /unknown argument "--subject".*--subject-path/),
    );
  });
  it('wants a value for a value flag', () => {
    assert.throws(() => parseFlags(['--sigstore'], ATTEST_FLAGS), fails('INPUT_INVALID', /--sigstore needs a value/));
  });
});

describe('github-token and upload-to-release are checked when the inputs are read', () => {
  const secret = 'ghs_0123456789abcdef';
  const bad: [string, string, RegExp][] = [
    ['a line break', `${secret}\n${secret}`, /contains a line break/],
    ['a "Bearer " prefix', `Bearer ${secret}`, /contains white space/],
    ['a tab', `${secret}\t1`, /contains white space/],
    ['a control character', `${secret}\u0000`, /contains a control character/],
    ['a non-ASCII character', `${secret}é`, /outside visible ASCII/],
  ];
  for (const [label, token, text] of bad) {
    it(`refuses a token with ${label}, in attest and verify mode, without quoting it`, async () => {
      const { verifySettings } = await import('../../src/verify/settings.ts');
      const check = (err: unknown): boolean =>
        fails('INPUT_INVALID', text)(err) &&
        err instanceof Error &&
        !err.message.includes('0123456789') &&
        !(err as ProvenanceError).hint.includes('0123456789');
      assert.throws(() => attestSettings(reader({ 'subject-path': 'x', 'github-token': token })), check);
      assert.throws(
        () => verifySettings(reader({ 'subject-path': 'x', 'bundle-path': 'b.jsonl', 'github-token': token })),
        check,
      );
    });
  }
  it('takes a well-formed token, trimming a trailing line break (as secrets often have)', () => {
    assert.equal(
      attestSettings(reader({ 'subject-path': 'x', 'github-token': `${secret}\n` })).github.githubToken,
      secret,
    );
    assert.equal(
      attestSettings(reader({ 'subject-path': 'x', 'github-token': 'github_pat_11AAA_x-y.z' })).github.githubToken,
      'github_pat_11AAA_x-y.z',
    );
  });

  for (const tag of [
    'v1 2',
    'v1.2:final',
    'v1..2',
    '-v1',
    'v1/',
    'v1.lock',
    'v1^',
    'v1~1',
    'v1?',
    'v1*',
    'v1[',
    'v1\\x',
    'v@{1}',
    '.v1',
    'a//b',
    'a/.b',
  ]) {
    it(`refuses upload-to-release "${tag}", a tag git refuses`, () => {
      assert.throws(
        () => attestSettings(reader({ 'subject-path': 'x', 'upload-to-release': tag })),
        fails('INPUT_INVALID', /^upload-to-release: .* is not a tag name git accepts/),
      );
    });
  }
  it('takes tags git takes, and auto', () => {
    for (const tag of ['v1.2.0', 'release/2024-06', 'v1.2.0-rc.1+build.5', 'auto']) {
      assert.equal(
        attestSettings(reader({ 'subject-path': 'x', 'upload-to-release': tag })).github.uploadToRelease,
        tag,
      );
    }
  });
});

describe('attestSettings: stage source', () => {
  const TOKEN = { 'github-token': 'ghs_standInToken0123456789abcdefghijkl' };
  it('takes no subject and no document: its subject is the job commit', () => {
    const s = attestSettings(reader({ stage: 'source', ...TOKEN }));
    assert.deepEqual(s.predicate, { kind: 'stage', stage: 'source', document: undefined, target: undefined });
  });
  const refusals: [string, Record<string, string>, ErrorCode, RegExp][] = [
    ['a subject', { 'subject-path': 'dist/*' }, 'INPUT_CONFLICT', /stage: source attests the commit .* subject-path/],
    ['a document', { 'predicate-path': 'x.json' }, 'INPUT_CONFLICT', /but predicate or predicate-path is set/],
    ['attestations-api: true', { 'attestations-api': 'true' }, 'INPUT_CONFLICT', /a commit has none/],
    ['no token', { 'github-token': ' ' }, 'INPUT_INVALID', /github-token is empty.*pull-requests: read/],
  ];
  for (const [what, inputs, code, text] of refusals) {
    it(`refuses ${what} before anything happens`, () => {
      assert.throws(() => attestSettings(reader({ stage: 'source', ...TOKEN, ...inputs })), fails(code, text));
    });
  }
});

describe('attestSettings: artifact (subjects from a workflow artifact)', () => {
  it('is a subject input of its own: the step needs nothing else', () => {
    const s = attestSettings(reader({ artifact: ' build-output ' }));
    assert.equal(s.subjects.artifact, 'build-output');
    assert.deepEqual(s.predicate, { kind: 'provenance' });
    assert.equal(attestSettings(reader({ 'subject-path': 'dist/*' })).subjects.artifact, undefined);
  });

  it('is named in the "no subjects" error', () =>
    assert.throws(
      () => attestSettings(reader({})),
      fails('INPUT_CONFLICT', /^no subjects: .*subject-checksums or artifact is required/),
    ));

  const conflicts: [string, Record<string, string>, RegExp][] = [
    ['subject-path', { 'subject-path': 'dist/*' }, /^artifact and subject-path are both set/],
    ['subject-name', { 'subject-name': 'app' }, /^artifact and subject-name are both set/],
    ['subject-digest', { 'subject-digest': `sha256:${'a'.repeat(64)}` }, /^artifact and subject-digest are both set/],
    ['subject-checksums', { 'subject-checksums': 'SHA256SUMS' }, /^artifact and subject-checksums are both set/],
    [
      'subject-name and subject-digest',
      { 'subject-name': 'app', 'subject-digest': `sha256:${'a'.repeat(64)}` },
      /^artifact and subject-name, subject-digest are both set; expected one source of subjects per step/,
    ],
  ];
  for (const [label, inputs, text] of conflicts) {
    it(`refuses artifact with ${label}`, () =>
      assert.throws(() => attestSettings(reader({ artifact: 'build', ...inputs })), fails('INPUT_CONFLICT', text)));
  }

  it('refuses artifact with stage: source (whose subject is the commit)', () =>
    assert.throws(
      () => attestSettings(reader({ artifact: 'build', stage: 'source', 'github-token': 'ghs_x' })),
      fails('INPUT_CONFLICT', /^stage: source attests the commit .*subject-checksums or artifact is set/),
    ));

  it('refuses push-to-registry with only an artifact: no image is named', () =>
    assert.throws(
      () => attestSettings(reader({ artifact: 'build', 'push-to-registry': 'true' })),
      fails('INPUT_CONFLICT', /^push-to-registry is true but no image is named/),
    ));

  for (const bad of ['dist/app', 'a:b', 'two\nlines', 'star*']) {
    it(`checks the name when the inputs are read: ${JSON.stringify(bad)}`, () =>
      assert.throws(
        () => attestSettings(reader({ artifact: bad })),
        fails('INPUT_INVALID', /^artifact ".*" cannot be used for a GitHub Actions artifact service artifact/),
      ));
  }

  it('has a CLI flag of the same name', () => {
    const flags = parseFlags(['--artifact', 'build'], ATTEST_FLAGS);
    assert.equal(attestSettings((name) => flags.get(name) ?? '').subjects.artifact, 'build');
  });
});
