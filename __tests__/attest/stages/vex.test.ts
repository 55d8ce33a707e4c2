import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stagePredicate } from '../../../src/attest/stages/index.ts';
import { OPENVEX, OPENVEX_V02, STAGE_PRESETS } from '../../../src/stages/presets.ts';
import { CTX, ORIGIN, fixture, refuses } from './helpers.ts';

const vex = (document: object | undefined) => stagePredicate('vex', document, ORIGIN, CTX);

describe('vex stage', () => {
  it('attests an OpenVEX v0.2.0 document unchanged', () => {
    const document = fixture('openvex.json');
    const copy = structuredClone(document);
    const out = vex(document);
    assert.equal(out.predicateType, OPENVEX_V02);
    assert.equal(out.predicate, document);
    assert.deepEqual(out.predicate, copy);
    assert.deepEqual(out.warnings, []);
  });

  it('types another versioned OpenVEX context by that context, and accepts a string vulnerability', () => {
    const out = vex({
      '@context': 'https://openvex.dev/ns/v0.3.1',
      statements: [{ vulnerability: 'CVE-2024-0001', status: 'fixed' }],
    });
    assert.equal(out.predicateType, 'https://openvex.dev/ns/v0.3.1');
  });

  it('warns about a document without statements', () => {
    const out = vex({ '@context': OPENVEX_V02, statements: [] });
    assert.equal(out.warnings.length, 1);
    assert.match(out.warnings[0] ?? '', /no statements/);
  });

  it('types a v0.0.x document (the bare namespace as @context) by that namespace, as cosign types OpenVEX', () => {
    const out = vex({
      '@context': OPENVEX,
      '@id': 'https://openvex.dev/docs/example/vex-9fb3463de1b57',
      statements: [
        {
          vulnerability: 'CVE-2023-1234',
          products: ['pkg:oci/x'],
          status: 'not_affected',
          justification: 'component_not_present',
        },
      ],
    });
    assert.equal(out.predicateType, 'https://openvex.dev/ns');
    // It is a type the vex stage of a chain accepts.
    assert.ok(STAGE_PRESETS.vex.predicateTypes.includes(out.predicateType));
  });

  it('refuses other contexts, naming what it found', () => {
    refuses(
      () => vex({ '@context': 'https://openvex.dev/ns/latest', statements: [] }),
      'PREDICATE_INVALID',
      '"https://openvex.dev/ns/latest"',
    );
    refuses(
      () => vex({ '@context': 'https://openvex.dev/nsx/v0.2.0', statements: [] }),
      'PREDICATE_INVALID',
      '"https://openvex.dev/nsx/v0.2.0"',
    );
    refuses(
      () => vex({ '@context': ['https://openvex.dev/ns/v0.2.0'], statements: [] }),
      'PREDICATE_INVALID',
      '@context',
      'an array of 1 entries',
    );
    refuses(() => vex({ bomFormat: 'CycloneDX' }), 'PREDICATE_INVALID', '@context', 'nothing');
  });

  it('refuses statements a verifier cannot read', () => {
    const doc = (statement: unknown) => ({
      '@context': OPENVEX_V02,
      statements: [{ vulnerability: { name: 'CVE-1' }, status: 'fixed' }, statement],
    });
    refuses(() => vex({ '@context': OPENVEX_V02 }), 'PREDICATE_INVALID', 'statements', 'nothing');
    refuses(() => vex(doc('x')), 'PREDICATE_INVALID', 'statements[1]', '"x"');
    refuses(() => vex(doc({ status: 'fixed' })), 'PREDICATE_INVALID', 'statements[1].vulnerability', 'nothing');
    refuses(
      () => vex(doc({ vulnerability: { description: 'x' }, status: 'fixed' })),
      'PREDICATE_INVALID',
      'statements[1].vulnerability',
    );
    refuses(
      () => vex(doc({ vulnerability: { name: 'CVE-2' }, status: 'resolved' })),
      'PREDICATE_INVALID',
      'statements[1].status',
      '"resolved"',
      'not_affected',
    );
    refuses(
      () => vex(doc({ vulnerability: { name: 'CVE-2' }, status: 'toString' })),
      'PREDICATE_INVALID',
      '"toString"',
    );
  });

  it('needs a document', () => {
    refuses(() => vex(undefined), 'INPUT_CONFLICT', '"vex"', 'predicate-path');
  });
});
