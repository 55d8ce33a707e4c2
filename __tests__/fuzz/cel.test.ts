// Fuzzing content policies: any text given as an expression compiles or is refused with
// CEL_INVALID (never another error), and a compiled expression run over any JSON predicate gives
// a result (true, false or error), never an exception and never a hang.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileCel, type CelExpression } from '../../src/verify/policy/cel/compile.ts';
import { contentBindings, evaluateContent } from '../../src/verify/policy/cel/evaluate.ts';
import { anyJson, fuzz, mutatedText, nastyString } from './harness.ts';

const EXAMPLES = [
  "stages.vulns.results.all(r, r.severity != 'CRITICAL' || r.id in stages.vex.notAffected)",
  "predicate.buildDefinition.externalParameters.workflow.ref.startsWith('refs/tags/')",
  "'SLSA_SOURCE_LEVEL_3' in predicate.verifiedLevels",
  "has(predicate.a) && predicate.a.exists(x, x.matches('^v[0-9]+$'))",
  'size(subject) == 1 && subject[0].digest.sha256.size() == 64',
  "predicate.map(k, k).filter(k, k != '') == [] || certificate.repository == 'o/r'",
];
const LABELS = ['vulns', 'vex'];

void describe('fuzz: CEL', () => {
  void it('compileCel: any text compiles or is refused with CEL_INVALID', () => {
    fuzz(
      'compileCel',
      fc.oneof(nastyString(60), mutatedText(EXAMPLES)),
      (text) => compileCel(text, 'cel', { stageLabels: LABELS }),
      { seed: 1818, numRuns: 1500 },
    );
  });
  void it('evaluateContent: any predicate gives a result, never an exception', () => {
    const compiled: CelExpression[] = EXAMPLES.map((e) => compileCel(e, 'cel', { stageLabels: LABELS }));
    const statement = (predicate: unknown) => ({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'a', digest: { sha256: 'a'.repeat(64) } }],
      predicateType: 'https://in-toto.io/attestation/vulns/v0.2',
      predicate: predicate as Record<string, unknown>,
    });
    fuzz(
      'evaluateContent',
      fc.tuple(anyJson, anyJson, anyJson),
      ([p, vulns, vex]) => {
        const results = evaluateContent(
          compiled,
          contentBindings(statement(p), undefined, [
            { label: 'vulns', statement: statement(vulns) },
            { label: 'vex', statement: { ...statement(vex), predicateType: 'https://openvex.dev/ns/v0.2.0' } },
          ]),
        );
        assert.equal(results.length, EXAMPLES.length);
        for (const r of results) assert.ok(r.result === true || r.result === false || r.result === 'error');
      },
      { seed: 1819, numRuns: 500, allow: [] },
    );
  });
});
