import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stagePredicate } from '../../../src/attest/stages/index.ts';
import { CYCLONEDX_BOM, SPDX_2_2, SPDX_2_3, SPDX_3 } from '../../../src/stages/presets.ts';
import { CTX, ORIGIN, fixture, refuses } from './helpers.ts';

describe('sbom stage', () => {
  for (const [name, type] of [
    ['spdx-2.3.json', SPDX_2_3],
    ['spdx-3.json', SPDX_3],
    ['cyclonedx.json', CYCLONEDX_BOM],
  ] as const) {
    it(`attests ${name} unchanged as ${type}`, () => {
      const document = fixture(name);
      const copy = structuredClone(document);
      const out = stagePredicate('sbom', document, ORIGIN, CTX);
      assert.equal(out.predicateType, type);
      assert.equal(out.predicate, document);
      assert.deepEqual(out.predicate, copy);
      assert.deepEqual(out.warnings, []);
    });
  }

  it('types SPDX 2.2 as v2.2', () => {
    assert.equal(
      stagePredicate('sbom', { spdxVersion: 'SPDX-2.2', SPDXID: 'SPDXRef-DOCUMENT' }, ORIGIN, CTX).predicateType,
      SPDX_2_2,
    );
  });

  it('finds the SPDX 3 context inside a @context array', () => {
    const doc = {
      '@context': [{ ex: 'https://example.com/' }, 'https://spdx.org/rdf/3.0.0/spdx-context.jsonld'],
      '@graph': [],
    };
    assert.equal(stagePredicate('sbom', doc, ORIGIN, CTX).predicateType, SPDX_3);
  });

  it('refuses other SPDX 2 versions, naming the version', () => {
    refuses(
      () => stagePredicate('sbom', { spdxVersion: 'SPDX-2.1' }, ORIGIN, CTX),
      'PREDICATE_INVALID',
      '"SPDX-2.1"',
      'SPDX-2.3',
    );
    refuses(() => stagePredicate('sbom', { spdxVersion: 3 }, ORIGIN, CTX), 'PREDICATE_INVALID', 'number 3');
  });

  it('refuses a CycloneDX document without specVersion, or another bomFormat', () => {
    refuses(() => stagePredicate('sbom', { bomFormat: 'CycloneDX' }, ORIGIN, CTX), 'PREDICATE_INVALID', 'specVersion');
    refuses(
      () => stagePredicate('sbom', { bomFormat: 'cyclonedx', specVersion: '1.5' }, ORIGIN, CTX),
      'PREDICATE_INVALID',
      '"cyclonedx"',
    );
  });

  it('refuses an unknown JSON object, naming at most five of its keys and the accepted formats', () => {
    const doc = { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7 };
    const err = refuses(
      () => stagePredicate('sbom', doc, ORIGIN, CTX),
      'PREDICATE_INVALID',
      '"a", "b", "c", "d", "e" and 2 more',
      'CycloneDX',
    );
    assert.ok(!err.message.includes('"f"'));
  });

  it('refuses an SPDX-3-like context from another site, and an array', () => {
    refuses(
      () => stagePredicate('sbom', { '@context': 'https://example.com/rdf/3.0/x' }, ORIGIN, CTX),
      'PREDICATE_INVALID',
      '@context',
    );
    refuses(() => stagePredicate('sbom', [], ORIGIN, CTX), 'PREDICATE_INVALID', 'an empty array');
  });

  it("does not take inherited fields for the document's own", () => {
    const doc = JSON.parse('{"__proto__": {"spdxVersion": "SPDX-2.3"}}') as object;
    refuses(() => stagePredicate('sbom', doc, ORIGIN, CTX), 'PREDICATE_INVALID', '"__proto__"');
    const inherited = Object.create({ bomFormat: 'CycloneDX', specVersion: '1.6' }) as object;
    refuses(() => stagePredicate('sbom', inherited, ORIGIN, CTX), 'PREDICATE_INVALID', 'an empty object');
  });

  it('needs a document', () => {
    refuses(() => stagePredicate('sbom', undefined, ORIGIN, CTX), 'INPUT_CONFLICT', '"sbom"', 'predicate-path');
  });
});
