import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stagePredicate } from '../../../src/attest/stages/index.ts';
import { TEST_RESULT_V01, VSA_V1 } from '../../../src/stages/presets.ts';
import { CTX, NO_GITHUB, ORIGIN, RUN_URL, fixture, refuses } from './helpers.ts';

const policy = (document: object | undefined) => stagePredicate('policy', document, ORIGIN, CTX);

describe('policy stage: VSA and test-result predicates', () => {
  it('takes a SLSA VSA v1 as is', () => {
    const document = fixture('vsa.json');
    const out = policy(document);
    assert.equal(out.predicateType, VSA_V1);
    assert.equal(out.predicate, document);
    assert.deepEqual(out.warnings, []);
  });

  it('takes a FAILED VSA, with a warning', () => {
    const out = policy({ ...fixture('vsa.json'), verificationResult: 'FAILED' });
    assert.equal(out.predicateType, VSA_V1);
    assert.equal(out.warnings.length, 1);
    assert.match(out.warnings[0] ?? '', /FAILED/);
  });

  it('refuses a VSA missing what a verifier decides on', () => {
    const vsa = fixture('vsa.json') as Record<string, unknown>;
    refuses(() => policy({ ...vsa, verifier: { version: {} } }), 'PREDICATE_INVALID', 'verifier.id', 'nothing');
    refuses(
      () => policy({ ...vsa, verificationResult: 'passed' }),
      'PREDICATE_INVALID',
      'verificationResult',
      '"passed"',
    );
    refuses(
      () => policy({ ...vsa, verifiedLevels: 'SLSA_BUILD_LEVEL_3' }),
      'PREDICATE_INVALID',
      'verifiedLevels',
      '"SLSA_BUILD_LEVEL_3"',
    );
    refuses(() => policy({ ...vsa, verifiedLevels: [3] }), 'PREDICATE_INVALID', 'verifiedLevels[0]', 'number 3');
    refuses(() => policy({ ...vsa, resourceUri: undefined }), 'PREDICATE_INVALID', 'resourceUri');
    refuses(() => policy({ ...vsa, policy: 'release.rego' }), 'PREDICATE_INVALID', 'policy', '"release.rego"');
    refuses(() => policy({ ...vsa, timeVerified: '2025-03-02' }), 'PREDICATE_INVALID', 'timeVerified', '"2025-03-02"');
    // timeVerified is optional.
    const { timeVerified: _t, ...rest } = vsa;
    assert.equal(policy(rest).predicateType, VSA_V1);
  });

  it('takes an in-toto test-result as is', () => {
    const document = fixture('test-result.json');
    const out = policy(document);
    assert.equal(out.predicateType, TEST_RESULT_V01);
    assert.equal(out.predicate, document);
  });

  it('refuses a malformed test-result', () => {
    const tr = fixture('test-result.json') as Record<string, unknown>;
    refuses(() => policy({ ...tr, result: 'OK' }), 'PREDICATE_INVALID', 'result', '"OK"', 'PASSED');
    refuses(() => policy({ ...tr, configuration: undefined }), 'PREDICATE_INVALID', 'configuration', 'nothing');
    refuses(() => policy({ ...tr, configuration: ['x.rego'] }), 'PREDICATE_INVALID', 'configuration[0]', '"x.rego"');
    refuses(() => policy({ ...tr, failedTests: [null] }), 'PREDICATE_INVALID', 'failedTests[0]', 'null');
  });
});

describe('policy stage: conftest JSON', () => {
  it('converts a report to a test-result: worst outcome, one configuration per file, tests named by file', () => {
    const out = policy(fixture('conftest.json'));
    assert.equal(out.predicateType, TEST_RESULT_V01);
    const expected = {
      result: 'FAILED',
      configuration: [{ name: 'deploy/deployment.yaml' }, { name: 'deploy/service.yaml' }],
      url: RUN_URL,
      passedTests: [
        'deploy/deployment.yaml: 4 passed (namespace main)',
        'deploy/deployment.yaml: 2 passed (namespace labels)',
      ],
      warnedTests: [
        'deploy/deployment.yaml: Deployment example-app has no resource limits',
        'deploy/service.yaml: Service example-app uses NodePort',
      ],
      failedTests: ['deploy/deployment.yaml: Containers must not run as root'],
    };
    assert.deepEqual(out.predicate, expected);
    assert.equal(JSON.stringify(out.predicate), JSON.stringify(expected));
    assert.equal(out.warnings.length, 1);
    assert.match(out.warnings[0] ?? '', /FAILED.*Containers must not run as root/);
  });

  it('is WARNED with only warnings, PASSED with neither, and has no url without a GitHub job', () => {
    const warned = stagePredicate(
      'policy',
      [{ filename: 'a.yaml', namespace: 'main', successes: 1, warnings: [{ msg: 'w' }], failures: [] }],
      ORIGIN,
      NO_GITHUB,
    );
    assert.deepEqual(warned.predicate, {
      result: 'WARNED',
      configuration: [{ name: 'a.yaml' }],
      passedTests: ['a.yaml: 1 passed (namespace main)'],
      warnedTests: ['a.yaml: w'],
      failedTests: [],
    });
    assert.deepEqual(warned.warnings, []);
    const passed = stagePredicate(
      'policy',
      [{ filename: 'a.yaml', successes: 3, exceptions: [{ msg: 'x' }] }],
      ORIGIN,
      NO_GITHUB,
    );
    assert.deepEqual(passed.predicate, {
      result: 'PASSED',
      configuration: [{ name: 'a.yaml' }],
      passedTests: ['a.yaml: 3 passed'],
      warnedTests: [],
      failedTests: [],
    });
  });

  it('refuses a malformed report, naming the entry', () => {
    refuses(() => policy([]), 'PREDICATE_INVALID', 'empty array');
    refuses(() => policy([{ filename: 'a.yaml', successes: 1 }, 'b.yaml']), 'PREDICATE_INVALID', '[1]', '"b.yaml"');
    refuses(() => policy([{ successes: 1 }]), 'PREDICATE_INVALID', '[0].filename', 'nothing');
    refuses(() => policy([{ filename: 'a.yaml', successes: '1' }]), 'PREDICATE_INVALID', '[0].successes', '"1"');
    refuses(() => policy([{ filename: 'a.yaml', successes: -1 }]), 'PREDICATE_INVALID', '[0].successes', 'number -1');
    refuses(
      () => policy([{ filename: 'a.yaml', successes: 0, failures: [{ message: 'x' }] }]),
      'PREDICATE_INVALID',
      '[0].failures[0].msg',
      'nothing',
    );
    refuses(
      () => policy([{ filename: 'a.yaml', successes: 0, warnings: 'x' }]),
      'PREDICATE_INVALID',
      '[0].warnings',
      '"x"',
    );
  });
});

describe('policy stage: anything else', () => {
  it('refuses it, naming the formats accepted', () => {
    refuses(() => policy({ allow: true }), 'PREDICATE_INVALID', '"allow"', 'VSA', 'test-result', 'conftest');
  });
  it('needs a document', () => {
    refuses(() => policy(undefined), 'INPUT_CONFLICT', '"policy"', 'predicate-path');
  });
});
