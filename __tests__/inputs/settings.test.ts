import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attestSettings } from '../../src/inputs/settings.ts';
import { ProvenanceError, type ErrorCode } from '../../src/errors.ts';
import { parseFlags, ATTEST_FLAGS } from '../../src/inputs/cli-flags.ts';

const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';
const fails = (code: ErrorCode, text: RegExp) => (err: unknown) => err instanceof ProvenanceError && err.code === code && text.test(err.toLine());

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
    ['type without predicate', { 'subject-path': 'a', 'predicate-type': 'https://spdx.dev/Document/v2.3' }, 'INPUT_CONFLICT', /without predicate or predicate-path/],
    ['both predicate forms', { 'subject-path': 'a', 'predicate-type': 'https://x/y', predicate: '{}', 'predicate-path': 'p.json' }, 'INPUT_CONFLICT', /both set/],
    ['type not a URI', { 'subject-path': 'a', 'predicate-type': 'spdx', predicate: '{}' }, 'INPUT_INVALID', /not a URI/],
    ['unknown sigstore', { 'subject-path': 'a', sigstore: 'staging' }, 'INPUT_INVALID', /sigstore: "staging"/],
    ['bad boolean', { 'subject-path': 'a', 'show-summary': 'yes' }, 'INPUT_INVALID', /show-summary: "yes" is not true or false/],
  ];
  for (const [label, inputs, code, text] of errors) {
    it(`rejects ${label}`, () => assert.throws(() => attestSettings(reader(inputs)), fails(code, text)));
  }

  it('accepts a custom predicate and a signing-config path', () => {
    const s = attestSettings(reader({ 'subject-path': 'a', 'predicate-type': 'https://cyclonedx.org/bom', 'predicate-path': 'sbom.json', sigstore: 'config/signing.json' }));
    assert.deepEqual(s.predicate, { kind: 'file', type: 'https://cyclonedx.org/bom', path: 'sbom.json' });
    assert.deepEqual(s.sigstore, { kind: 'signing-config', path: 'config/signing.json' });
  });
});

describe('parseFlags', () => {
  it('reads --name value, --name=value, bare booleans and repeats', () => {
    const f = parseFlags(['--subject-path', 'a', '--subject-path=b', '--show-summary', '--sigstore', 'github'], ATTEST_FLAGS);
    assert.equal(f.get('subject-path'), 'a\nb');
    assert.equal(f.get('show-summary'), 'true');
    assert.equal(f.get('sigstore'), 'github');
    assert.equal(parseFlags(['--show-summary', 'false'], ATTEST_FLAGS).get('show-summary'), 'false');
  });
  it('names an unknown flag and lists the valid ones', () => {
    assert.throws(() => parseFlags(['--subject'], ATTEST_FLAGS), fails('INPUT_INVALID', /unknown argument "--subject".*--subject-path/));
  });
  it('wants a value for a value flag', () => {
    assert.throws(() => parseFlags(['--sigstore'], ATTEST_FLAGS), fails('INPUT_INVALID', /--sigstore needs a value/));
  });
});
