// Where content policies are written: the cel input (one expression per line), a policy file's
// cel rule, and require-chain's cel="…" option with spaces and \" inside, compiled when read and
// failing there (naming the stage and the column) before any bundle is read.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ProvenanceError } from '../../../src/common/errors.ts';
import { describePolicy } from '../../../src/verify/policy/describe-policy.ts';
import { policyFromInputs } from '../../../src/verify/policy/inputs.ts';
import { compileCel } from '../../../src/verify/policy/cel/compile.ts';

const inputs =
  (values: Record<string, string>) =>
  (name: string): string =>
    values[name] ?? '';
const noFile = (): string => {
  throw new Error('no file');
};
const WF = 'o/r/.github/workflows/release.yml';

describe('cel rules from inputs and policy files', () => {
  it('reads the cel input, one expression per line', () => {
    const policy = policyFromInputs(
      inputs({ repository: 'o/r', cel: "predicateType == 'x'\nsize(subject) > 0" }),
      noFile,
    );
    assert.deepEqual(
      policy.cel?.map((e) => e.text),
      ["predicateType == 'x'", 'size(subject) > 0'],
    );
    assert.deepEqual(describePolicy(policy)['cel'], ["predicateType == 'x'", 'size(subject) > 0']);
  });
  it('reads cel from a policy file, as a list', () => {
    const policy = policyFromInputs(inputs({ policy: 'p.yml' }), () =>
      [
        'repository: o/r',
        'cel:',
        "  - predicate.buildDefinition.externalParameters.workflow.ref.startsWith('refs/tags/')",
      ].join('\n'),
    );
    assert.equal(policy.cel?.length, 1);
  });
  it('fails a syntax error in the policy file naming it and the column', () => {
    assert.throws(
      () => policyFromInputs(inputs({ policy: 'p.json' }), () => '{"repository": "o/r", "cel": "predicate.x =="}'),
      (err: unknown) =>
        err instanceof ProvenanceError && /^cel \(policy file p\.json\): syntax error at column \d+/.test(err.message),
    );
  });
  it('takes cel="…" on a stage line, with spaces and \\" inside, and stages of earlier lines', () => {
    const policy = policyFromInputs(
      inputs({
        repository: 'o/r',
        'require-chain': [
          `vulns signer-workflow=${WF}`,
          `vex signer-workflow=${WF}`,
          `provenance signer-workflow=${WF} cel="stages.vulns.results.all(r, r.severity != 'CRITICAL' || r.id in stages.vex.notAffected)" cel="predicateType != \\"x y\\""`,
        ].join('\n'),
      }),
      noFile,
    );
    assert.deepEqual(
      policy.requireChain?.[2]?.policy.cel?.map((e) => e.text),
      [
        "stages.vulns.results.all(r, r.severity != 'CRITICAL' || r.id in stages.vex.notAffected)",
        'predicateType != "x y"',
      ],
    );
    assert.equal(policy.requireChain?.[0]?.policy.cel, undefined);
    // The report's policy shows each expression as the stage line takes it.
    assert.match(
      String((describePolicy(policy)['require-chain'] as string[])[2]),
      / cel="stages\.vulns\.results\.all\(r, r\.severity != 'CRITICAL' \|\| r\.id in stages\.vex\.notAffected\)" cel="predicateType != \\"x y\\""$/,
    );
  });
  it('names the stage and the column of a stage expression that uses an unknown variable, in under a second', () => {
    const started = performance.now();
    assert.throws(
      () =>
        policyFromInputs(
          inputs({ repository: 'o/r', 'require-chain': `provenance signer-workflow=${WF} cel="predicate.a && nope"` }),
          noFile,
        ),
      (err: unknown) =>
        err instanceof ProvenanceError &&
        /^require-chain, stage 1 \("provenance"\) cel: column 16: unknown variable "nope"/.test(err.message),
    );
    assert.ok(performance.now() - started < 1000);
  });
  it('refuses stages.NAME of a later stage, and top-level cel with require-chain', () => {
    assert.throws(
      () =>
        policyFromInputs(
          inputs({
            repository: 'o/r',
            'require-chain': `provenance signer-workflow=${WF} cel="'x' in stages.vex.notAffected"\nvex signer-workflow=${WF}`,
          }),
          noFile,
        ),
      /stages\.vex is not an earlier stage/,
    );
    assert.throws(
      () =>
        policyFromInputs(
          inputs({ repository: 'o/r', cel: 'true', 'require-chain': `provenance signer-workflow=${WF}` }),
          noFile,
        ),
      /cel and require-chain are both set/,
    );
  });
  it('reads the require-chain example of docs/cel.md as written', () => {
    const doc = readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'docs', 'cel.md'), 'utf8');
    const block = /```yaml\nrequire-chain: \|\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const policy = policyFromInputs(inputs({ repository: 'o/r', 'require-chain': block }), noFile);
    assert.deepEqual(
      policy.requireChain?.map((s) => s.policy.cel?.length ?? 0),
      [1, 0, 0, 0, 2],
    );
  });
  it("compiles every cel= of the README's require-chain examples, with the stages before it", () => {
    const readme = readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/require-chain: \|\n((?: {12}\S.*\n)+)/g)].map((m) => m[1] ?? '');
    let compiled = 0;
    for (const block of blocks) {
      const lines = block.split('\n').map((l) => l.trim());
      lines.forEach((line, i) => {
        const earlier = lines.slice(0, i).map((l) => l.split(/\s+/)[0] ?? '');
        for (const [, expression = ''] of line.matchAll(/ cel="((?:[^"\\]|\\.)*)"/g)) {
          compileCel(expression.replace(/\\(["\\])/g, '$1'), `README: ${line}`, { stageLabels: earlier });
          compiled++;
        }
      });
    }
    assert.ok(compiled >= 6, `compiled ${compiled}`);
  });
});
