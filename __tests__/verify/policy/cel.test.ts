// Content policies in CEL: compiled before any bundle is read (syntax errors and unknown names
// with their column, the 64 KiB limit), evaluated fail-closed (false, errors and non-bool results
// fail), bounded by the step budget, and the example expressions over the helper views.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvenanceError } from '../../../src/common/errors.ts';
import { compileCel, compileCelRule } from '../../../src/verify/policy/cel/compile.ts';
import { contentBindings, contentFailures, evaluateContent } from '../../../src/verify/policy/cel/evaluate.ts';
import { MAX_CEL_EXPRESSION_BYTES, MAX_CEL_STEPS } from '../../../src/verify/policy/cel/limits.ts';
import type { CertificateFacts, InTotoStatement } from '../../../src/verify/types.ts';

const statement = (predicateType: string, predicate: Record<string, unknown>): InTotoStatement => ({
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'app', digest: { sha256: 'a'.repeat(64) } }],
  predicateType,
  predicate,
});
const vulns = (severity: string) =>
  statement('https://in-toto.io/attestation/vulns/v0.2', {
    scanner: {
      uri: 'pkg:github/aquasecurity/trivy',
      result: [{ id: 'CVE-2024-0001', severity: [{ method: 'trivy', score: severity }] }],
    },
    metadata: { scanStartedOn: '2026-01-01T00:00:00Z', scanFinishedOn: '2026-01-01T00:00:00Z' },
  });
const vex = (status: string) =>
  statement('https://openvex.dev/ns/v0.2.0', {
    statements: [{ vulnerability: { name: 'CVE-2024-0001' }, status, products: [] }],
  });
const provenance = (ref: string) =>
  statement('https://slsa.dev/provenance/v1', {
    buildDefinition: { externalParameters: { workflow: { ref, repository: 'https://github.com/o/r', path: 'x.yml' } } },
  });
const facts = {
  subjectAlternativeName: 'https://github.com/o/r/.github/workflows/x.yml@refs/tags/v1',
  sourceRepositoryURI: 'https://github.com/o/r',
  sourceRepositoryRef: 'refs/tags/v1',
} as CertificateFacts;

const thrown = (f: () => unknown): ProvenanceError => {
  try {
    f();
  } catch (err) {
    assert.ok(err instanceof ProvenanceError, String(err));
    return err;
  }
  assert.fail('expected a ProvenanceError');
};

describe('compiling CEL', () => {
  it('refuses a syntax error with its column, in under a second', () => {
    const started = performance.now();
    const err = thrown(() => compileCel("predicate.x == 'a' && && true", 'cel'));
    assert.ok(performance.now() - started < 1000);
    assert.equal(err.code, 'CEL_INVALID');
    assert.match(err.message, /^cel: syntax error at column \d+/);
  });
  it('names the stage and the column of an unknown variable', () => {
    const err = thrown(() => compileCel('predicat.x == 1', 'require-chain, stage 2 ("vulns")'));
    assert.match(err.message, /^require-chain, stage 2 \("vulns"\): column 1: unknown variable "predicat"/);
    const col = thrown(() => compileCel('predicate.a == 1 && foo', 'cel'));
    assert.match(col.message, /column 21: unknown variable "foo"/);
  });
  it('refuses an unknown function and stages that are not earlier in the chain', () => {
    assert.match(thrown(() => compileCel('nosuch(predicate)', 'cel')).message, /unknown function "nosuch"/);
    assert.match(
      thrown(() => compileCel("'x' in stages.vex.notAffected", 'cel', { stageLabels: ['sbom'] })).message,
      /stages\.vex is not an earlier stage.*sbom/,
    );
    assert.doesNotThrow(() => compileCel("'x' in stages.vex.notAffected", 'cel', { stageLabels: ['vex'] }));
    assert.doesNotThrow(() => compileCel('predicate.items.all(i, i.x == subject[0].name)', 'cel'));
  });
  it(`refuses an expression over ${MAX_CEL_EXPRESSION_BYTES} bytes before parsing it`, () => {
    const long = `true${' && true'.repeat(MAX_CEL_EXPRESSION_BYTES / 8)}`;
    const started = performance.now();
    assert.match(thrown(() => compileCel(long, 'cel')).message, /more than 65536/);
    assert.ok(performance.now() - started < 100);
  });
  it('numbers several expressions of one rule in their messages', () => {
    assert.match(thrown(() => compileCelRule(['true', '1 +'], 'cel')).message, /^cel, expression 2: syntax error/);
  });
});

describe('evaluating CEL', () => {
  const run = (text: string, s: InTotoStatement, stages: { label: string; statement: InTotoStatement }[] = []) =>
    evaluateContent(
      [compileCel(text, 'cel', { stageLabels: stages.map((x) => x.label) })],
      contentBindings(s, facts, stages),
    )[0];

  it('fails an evaluation error, naming it, never passing', () => {
    const r = run('predicate.nosuch == 1', provenance('refs/tags/v1'));
    assert.equal(r?.result, 'error');
    assert.match(r?.message ?? '', /nosuch/);
  });
  it('fails a result that is not a bool', () => {
    const r = run('predicateType', provenance('refs/tags/v1'));
    assert.equal(r?.result, 'error');
    assert.match(r?.message ?? '', /not a bool/);
  });
  it('refuses a runaway comprehension by the step budget, quickly', () => {
    let expr = 'true';
    for (let i = 0; i < 20; i++) expr = `[1,2,3].all(x${i}, ${expr})`;
    const started = performance.now();
    const r = run(expr, provenance('refs/tags/v1'));
    assert.equal(r?.result, 'error');
    assert.match(r?.message ?? '', new RegExp(`more than ${MAX_CEL_STEPS}`));
    assert.ok(performance.now() - started < 10_000);
  });
  it('refuses a huge list built by repetition', () => {
    const ten = '[1,2,3,4,5,6,7,8,9,10]';
    let expr = ten;
    for (let i = 0; i < 6; i++) expr = `${ten}.map(x${i}, ${expr})`;
    const started = performance.now();
    const r = run(`${expr}.size() > 0`, provenance('refs/tags/v1'));
    assert.ok(performance.now() - started < 10_000);
    assert.equal(r?.result, 'error');
    assert.match(r?.message ?? '', /cost limit/);
  });
  it('shows the values a failing expression saw, as a content failure', () => {
    const results = [
      run(
        "predicate.buildDefinition.externalParameters.workflow.ref.startsWith('refs/tags/')",
        provenance('refs/heads/main'),
      )!,
    ];
    const [failure] = contentFailures(results, 'stage 1 "provenance"');
    assert.equal(failure?.check, 'content');
    assert.match(failure?.expected ?? '', /stage 1 "provenance": CEL "predicate\.buildDefinition.*startsWith/);
    assert.equal(
      failure?.found,
      'evaluated to false; predicate.buildDefinition.externalParameters.workflow.ref = "refs/heads/main"',
    );
  });

  it('shows the value at a field read by index (a URI-named extension field), not the whole predicate', () => {
    const field = 'https://provenance-action.github.io/attestation/github-source-controls/v1';
    const vsa = statement('https://slsa.dev/verification_summary/v1', {
      verifiedLevels: ['SLSA_SOURCE_LEVEL_1'],
      padding: 'x'.repeat(4000),
      [field]: { level: 1, pullRequest: { approvers: ['bob'] } },
    });
    const e = `predicate['${field}'].level >= 3 && predicate["${field}"]['pullRequest'].approvers.size() >= 2`;
    const [failure] = contentFailures([run(e, vsa)!]);
    assert.equal(
      failure?.found,
      `evaluated to false; predicate["${field}"].level = 1; predicate["${field}"].pullRequest.approvers = ["bob"]`,
    );
    // An index that is not a string constant reads the map itself.
    const [dynamic] = contentFailures([run("predicate['verified' + 'Levels'].size() > 1", vsa)!]);
    assert.match(dynamic?.found ?? '', /^evaluated to false; predicate = \{"verifiedLevels"/);
  });

  it('refuses to compare a list with a string, rather than read != as true', () => {
    const e = "predicate.scanner.result.all(r, r.severity != 'CRITICAL')";
    const r = run(e, vulns('LOW'));
    assert.equal(r?.result, 'error');
    assert.match(r?.message ?? '', /cannot compare a list with a string/);
    assert.equal(
      run("predicate.scanner.result.all(r, r.severity.all(s, s.score != 'CRITICAL'))", vulns('LOW'))?.result,
      true,
    );
    assert.equal(
      run("predicate.scanner.result.all(r, r.severity.all(s, s.score != 'CRITICAL'))", vulns('CRITICAL'))?.result,
      false,
    );
    assert.equal(run('size(subject) == 1.0', vulns('LOW'))?.result, true);
  });

  describe("the issue's examples", () => {
    it('provenance built from a tag', () => {
      const e = "predicate.buildDefinition.externalParameters.workflow.ref.startsWith('refs/tags/')";
      assert.equal(run(e, provenance('refs/tags/v1.2.0'))?.result, true);
      assert.equal(run(e, provenance('refs/heads/main'))?.result, false);
    });
    it('source level 3', () => {
      const e = "'SLSA_SOURCE_LEVEL_3' in predicate.verifiedLevels";
      const vsa = (levels: string[]) =>
        statement('https://slsa.dev/verification_summary/v1', { verifiedLevels: levels });
      assert.equal(run(e, vsa(['SLSA_SOURCE_LEVEL_3']))?.result, true);
      assert.equal(run(e, vsa(['SLSA_SOURCE_LEVEL_1']))?.result, false);
    });
    it('no critical vulnerability unless the VEX says not_affected (over the helper views)', () => {
      const e = "stages.vulns.results.all(r, r.severity != 'CRITICAL' || r.id in stages.vex.notAffected)";
      const chain = (sev: string, status: string) => [
        { label: 'vulns', statement: vulns(sev) },
        { label: 'vex', statement: vex(status) },
      ];
      assert.equal(run(e, provenance('x'), chain('CRITICAL', 'not_affected'))?.result, true);
      assert.equal(run(e, provenance('x'), chain('LOW', 'affected'))?.result, true);
      assert.equal(run(e, provenance('x'), chain('CRITICAL', 'affected'))?.result, false);
      assert.equal(run(e, provenance('x'), chain('9.8', 'under_investigation'))?.result, false);
    });
  });
});
