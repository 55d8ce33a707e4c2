// The helper views expressions read through stages.LABEL: vulns results with one severity word,
// VEX not_affected ids, SBOM packages and licences for SPDX 2, SPDX 3 and CycloneDX. Read
// defensively: a predicate in another shape gives empty lists, never an exception.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { helperView } from '../../../src/verify/policy/cel/views.ts';

describe('helperView', () => {
  it('rates each vulnerability by its highest rating: words, CVSS scores, SARIF levels', () => {
    const view = helperView('https://in-toto.io/attestation/vulns/v0.2', {
      scanner: {
        result: [
          {
            id: 'A',
            severity: [
              { method: 'grype', score: 'High' },
              { method: 'cvss_score', score: '9.8' },
            ],
          },
          { id: 'B', severity: [{ method: 'sarif_level', score: 'warning' }] },
          { id: 'C', severity: [] },
          { id: 'D', severity: [{ method: 'cvss_score', score: '0.0' }] },
          { severity: [{ score: 'CRITICAL' }] },
        ],
      },
    });
    assert.deepEqual(view, {
      results: [
        { id: 'A', severity: 'CRITICAL' },
        { id: 'B', severity: 'MEDIUM' },
        { id: 'C', severity: 'UNKNOWN' },
        { id: 'D', severity: 'NONE' },
      ],
    });
  });
  it('lists the not_affected vulnerabilities of an OpenVEX document, with aliases', () => {
    const view = helperView('https://openvex.dev/ns/v0.2.0', {
      statements: [
        { vulnerability: { name: 'CVE-1', aliases: ['GHSA-x'] }, status: 'not_affected' },
        { vulnerability: 'CVE-2', status: 'not_affected' },
        { vulnerability: { name: 'CVE-3' }, status: 'affected' },
      ],
    });
    assert.deepEqual(view, { notAffected: ['CVE-1', 'GHSA-x', 'CVE-2'] });
  });
  it('reads packages and licences from SPDX 2, SPDX 3 and CycloneDX', () => {
    assert.deepEqual(
      helperView('https://spdx.dev/Document/v2.3', {
        packages: [
          { name: 'a', versionInfo: '1', licenseConcluded: 'MIT', licenseDeclared: 'MIT' },
          { name: 'b', licenseConcluded: 'NOASSERTION' },
        ],
      }),
      {
        packages: [
          { name: 'a', version: '1', licenses: ['MIT'] },
          { name: 'b', version: '', licenses: [] },
        ],
        licenses: ['MIT'],
      },
    );
    assert.deepEqual(
      helperView('https://spdx.dev/Document/v3', {
        '@graph': [
          { type: 'software_Package', spdxId: 'p1', name: 'c', software_packageVersion: '2' },
          { type: 'simplelicensing_LicenseExpression', spdxId: 'l1', simplelicensing_licenseExpression: 'Apache-2.0' },
          { type: 'Relationship', relationshipType: 'hasConcludedLicense', from: 'p1', to: ['l1'] },
        ],
      }),
      { packages: [{ name: 'c', version: '2', licenses: ['Apache-2.0'] }], licenses: ['Apache-2.0'] },
    );
    assert.deepEqual(
      helperView('https://cyclonedx.org/bom', {
        components: [
          {
            name: 'd',
            version: '3',
            licenses: [{ license: { id: 'GPL-3.0-only' } }],
            components: [{ name: 'e', licenses: [{ expression: 'MIT OR Apache-2.0' }] }],
          },
        ],
      }),
      {
        packages: [
          { name: 'd', version: '3', licenses: ['GPL-3.0-only'] },
          { name: 'e', version: '', licenses: ['MIT OR Apache-2.0'] },
        ],
        licenses: ['GPL-3.0-only', 'MIT OR Apache-2.0'],
      },
    );
  });
  it('gives empty views for predicates in another shape, and none for other types', () => {
    for (const junk of [null, 7, 'x', [], { scanner: 'x' }, { statements: {} }, { packages: [null, 1] }])
      for (const type of [
        'https://in-toto.io/attestation/vulns/v0.2',
        'https://openvex.dev/ns/v0.2.0',
        'https://spdx.dev/Document/v2.3',
        'https://spdx.dev/Document/v3',
        'https://cyclonedx.org/bom',
      ])
        assert.doesNotThrow(() => helperView(type, junk));
    assert.deepEqual(helperView('https://slsa.dev/provenance/v1', {}), {});
  });
});
