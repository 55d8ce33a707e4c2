import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stagePredicate } from '../../../src/attest/stages/index.ts';
import { VULNS_V02 } from '../../../src/stages/presets.ts';
import { CTX, NOW, ORIGIN, fixture, refuses } from './helpers.ts';

const vulns = (document: object | undefined) => stagePredicate('vulns', document, ORIGIN, CTX);

describe('vulns stage: SARIF 2.1.0', () => {
  it('converts a Trivy SARIF log: one result per rule, security-severity and level, invocation times in UTC', () => {
    const out = vulns(fixture('trivy.sarif'));
    assert.equal(out.predicateType, VULNS_V02);
    const expected = {
      scanner: {
        uri: 'https://github.com/aquasecurity/trivy',
        version: '0.58.1',
        result: [
          {
            id: 'CVE-2024-0001',
            severity: [
              { method: 'cvss_score', score: '8.1' },
              { method: 'sarif_level', score: 'error' },
            ],
          },
          {
            id: 'CVE-2024-0002',
            severity: [
              { method: 'cvss_score', score: '5.3' },
              { method: 'sarif_level', score: 'warning' },
            ],
          },
          // No level on the result: the rule's default configuration's.
          { id: 'GHSA-aaaa-bbbb-cccc', severity: [{ method: 'sarif_level', score: 'note' }] },
        ],
      },
      metadata: { scanStartedOn: '2025-03-02T09:20:01.123Z', scanFinishedOn: '2025-03-02T09:20:09.000Z' },
    };
    assert.deepEqual(out.predicate, expected);
    assert.equal(JSON.stringify(out.predicate), JSON.stringify(expected));
    assert.deepEqual(out.warnings, []);
  });

  it('converts a CodeQL SARIF log: rules in extensions, ids from rule references, no times means now', () => {
    const out = vulns(fixture('codeql.sarif'));
    assert.deepEqual(out.predicate, {
      scanner: {
        uri: 'pkg:generic/CodeQL',
        version: '2.20.4',
        result: [
          {
            id: 'js/sql-injection',
            severity: [
              { method: 'cvss_score', score: '8.8' },
              { method: 'sarif_level', score: 'error' },
            ],
          },
          { id: 'js/unused-local-variable', severity: [{ method: 'sarif_level', score: 'note' }] },
        ],
      },
      metadata: { scanStartedOn: NOW.toISOString(), scanFinishedOn: NOW.toISOString() },
    });
    assert.equal(out.warnings.length, 1);
    assert.match(out.warnings[0] ?? '', /1 SARIF result\(s\) name no rule/);
  });

  it('merges the results of every run, keeping the first run as the scanner', () => {
    const run = (tool: string, ids: string[]) => ({
      tool: { driver: { name: tool } },
      results: ids.map((ruleId) => ({ ruleId, level: 'error' })),
    });
    const out = vulns({ version: '2.1.0', runs: [run('a b', ['X-1', 'X-2']), run('other', ['X-2', 'X-3'])] });
    const scanner = out.predicate['scanner'] as { uri: string; result: { id: string }[] };
    assert.equal(scanner.uri, 'pkg:generic/a%20b');
    assert.deepEqual(
      scanner.result.map((r) => r.id),
      ['X-1', 'X-2', 'X-3'],
    );
    assert.equal('version' in scanner, false);
  });

  it('takes a level of "none" for a result whose kind is not fail, and "warning" by default', () => {
    const out = vulns({
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 't' } }, results: [{ ruleId: 'A', kind: 'pass' }, { ruleId: 'B' }] }],
    });
    const scanner = out.predicate['scanner'] as { result: unknown[] };
    assert.deepEqual(scanner.result, [
      { id: 'A', severity: [{ method: 'sarif_level', score: 'none' }] },
      { id: 'B', severity: [{ method: 'sarif_level', score: 'warning' }] },
    ]);
  });

  it('finds a rule by index alone, in the driver or in the extension the result names', () => {
    const rules = (prefix: string) => [
      { id: `${prefix}-A` },
      { id: `${prefix}-B`, properties: { 'security-severity': 9 }, defaultConfiguration: { level: 'error' } },
    ];
    const out = vulns({
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 't', rules: rules('D') }, extensions: [{ name: 'x', rules: rules('E') }] },
          results: [{ ruleIndex: 1 }, { rule: { index: 1, toolComponent: { index: 0 } } }, { ruleIndex: 7 }],
        },
      ],
    });
    assert.deepEqual((out.predicate['scanner'] as { result: unknown[] }).result, [
      {
        id: 'D-B',
        severity: [
          { method: 'cvss_score', score: '9' },
          { method: 'sarif_level', score: 'error' },
        ],
      },
      {
        id: 'E-B',
        severity: [
          { method: 'cvss_score', score: '9' },
          { method: 'sarif_level', score: 'error' },
        ],
      },
    ]);
    assert.equal(out.warnings.length, 1);
  });

  it('refuses other SARIF versions and malformed logs, naming what it found', () => {
    refuses(() => vulns({ version: '2.0.0', runs: [] }), 'PREDICATE_INVALID', '"2.0.0"', '2.1.0');
    refuses(() => vulns({ version: '2.1.0', runs: [] }), 'PREDICATE_INVALID', 'runs', 'an empty array');
    refuses(
      () => vulns({ version: '2.1.0', runs: [{ tool: { driver: {} } }] }),
      'PREDICATE_INVALID',
      'runs[0].tool.driver.name',
      'nothing',
    );
    refuses(
      () => vulns({ version: '2.1.0', runs: [{ tool: { driver: { name: 't' } }, results: {} }] }),
      'PREDICATE_INVALID',
      'runs[0].results',
      'an empty object',
    );
    refuses(
      () =>
        vulns({
          version: '2.1.0',
          runs: [{ tool: { driver: { name: 't' } }, invocations: [{ startTimeUtc: 'yesterday' }] }],
        }),
      'PREDICATE_INVALID',
      'startTimeUtc',
      '"yesterday"',
    );
  });
});

describe('vulns stage: Grype JSON', () => {
  it('converts a report: scanner and database from the descriptor, one result per id, grype and CVSS severities', () => {
    const out = vulns(fixture('grype.json'));
    assert.equal(out.predicateType, VULNS_V02);
    const expected = {
      scanner: {
        uri: 'pkg:github/anchore/grype@0.87.0',
        version: '0.87.0',
        db: {
          uri: 'https://grype.anchore.io/databases/v6/vulnerability-db_v6.0.2_2025-03-01T01:31:06Z_1740800000.tar.zst?checksum=sha256%3Aabc123',
          version: 'v6.0.2',
          lastUpdate: '2025-03-01T04:06:22.000Z',
        },
        result: [
          {
            id: 'CVE-2024-0001',
            severity: [
              { method: 'grype', score: 'High' },
              { method: 'cvss_v3.1', score: '8.1' },
              { method: 'cvss_v2.0', score: '6.8' },
            ],
          },
          { id: 'GHSA-aaaa-bbbb-cccc', severity: [{ method: 'grype', score: 'Low' }] },
        ],
      },
      metadata: { scanStartedOn: '2025-03-02T10:20:09.481Z', scanFinishedOn: '2025-03-02T10:20:09.481Z' },
    };
    assert.deepEqual(out.predicate, expected);
    assert.equal(JSON.stringify(out.predicate), JSON.stringify(expected));
  });

  it('reads the older database descriptor, and never records its local path', () => {
    const out = vulns({
      matches: [],
      descriptor: {
        name: 'grype',
        version: '0.74.0',
        db: {
          built: '2024-01-05T01:28:04Z',
          schemaVersion: 5,
          location: '/root/.cache/grype/db/5',
          checksum: 'sha256:00',
        },
      },
    });
    assert.deepEqual(out.predicate, {
      scanner: {
        uri: 'pkg:github/anchore/grype@0.74.0',
        version: '0.74.0',
        db: { version: '5', lastUpdate: '2024-01-05T01:28:04.000Z' },
        result: [],
      },
      metadata: { scanStartedOn: NOW.toISOString(), scanFinishedOn: NOW.toISOString() },
    });
  });

  it('records db.uri only for a download URL, not a local file', () => {
    const out = vulns({
      matches: [],
      descriptor: {
        name: 'grype',
        db: { status: { schemaVersion: 'v6.0.2', from: '/tmp/grype-db.tar.zst', built: '2025-03-01T04:06:22Z' } },
      },
    });
    assert.deepEqual((out.predicate['scanner'] as { db: unknown }).db, {
      version: 'v6.0.2',
      lastUpdate: '2025-03-01T04:06:22.000Z',
    });
    const noBuilt = vulns({ matches: [], descriptor: { name: 'grype', db: { status: { schemaVersion: 'v6.0.2' } } } });
    assert.equal('db' in (noBuilt.predicate['scanner'] as object), false);
  });

  it('refuses matches from another tool, and a match without an id', () => {
    refuses(() => vulns({ matches: [], descriptor: { name: 'syft' } }), 'PREDICATE_INVALID', '"syft"', 'grype');
    refuses(() => vulns({ matches: [] }), 'PREDICATE_INVALID', 'descriptor.name', 'nothing');
    refuses(
      () => vulns({ matches: [{ vulnerability: { id: 7 } }], descriptor: { name: 'grype' } }),
      'PREDICATE_INVALID',
      'matches[0].vulnerability.id',
      'number 7',
    );
    refuses(() => vulns({ matches: 'none', descriptor: { name: 'grype' } }), 'PREDICATE_INVALID', 'matches', '"none"');
  });

  it('stays linear on a large report', () => {
    const matches = Array.from({ length: 100_000 }, (_, i) => ({
      vulnerability: { id: `CVE-2024-${i % 5000}`, severity: 'Low' },
    }));
    const started = performance.now();
    const out = vulns({ matches, descriptor: { name: 'grype' } });
    assert.equal((out.predicate['scanner'] as { result: unknown[] }).result.length, 5000);
    assert.ok(performance.now() - started < 2000);
  });
});

describe('vulns stage: Trivy JSON', () => {
  it('converts a report: one result per VulnerabilityID across targets, time from CreatedAt', () => {
    const out = vulns(fixture('trivy.json'));
    assert.equal(out.predicateType, VULNS_V02);
    const expected = {
      scanner: {
        uri: 'pkg:github/aquasecurity/trivy',
        version: '0.58.1',
        result: [
          { id: 'CVE-2024-0001', severity: [{ method: 'trivy', score: 'HIGH' }] },
          { id: 'CVE-2024-0003', severity: [{ method: 'trivy', score: 'UNKNOWN' }] },
          { id: 'CVE-2024-0002', severity: [{ method: 'trivy', score: 'MEDIUM' }] },
        ],
      },
      metadata: { scanStartedOn: '2025-03-02T09:20:09.123Z', scanFinishedOn: '2025-03-02T09:20:09.123Z' },
    };
    assert.deepEqual(out.predicate, expected);
    assert.equal(JSON.stringify(out.predicate), JSON.stringify(expected));
  });

  it('accepts a clean report without Results or a Trivy version', () => {
    assert.deepEqual(vulns({ SchemaVersion: 2, ArtifactName: 'x' }).predicate, {
      scanner: { uri: 'pkg:github/aquasecurity/trivy', result: [] },
      metadata: { scanStartedOn: NOW.toISOString(), scanFinishedOn: NOW.toISOString() },
    });
  });

  it('refuses malformed reports, naming the field', () => {
    refuses(() => vulns({ SchemaVersion: '2', Results: [] }), 'PREDICATE_INVALID', 'SchemaVersion', '"2"');
    refuses(
      () => vulns({ SchemaVersion: 2, Results: [{ Vulnerabilities: [{ Severity: 'HIGH' }] }] }),
      'PREDICATE_INVALID',
      'Results[0].Vulnerabilities[0].VulnerabilityID',
    );
    refuses(
      () => vulns({ SchemaVersion: 2, Results: [], CreatedAt: 12 }),
      'PREDICATE_INVALID',
      'CreatedAt',
      'number 12',
    );
  });
});

describe('vulns stage: in-toto vulns predicate', () => {
  const predicate = {
    scanner: {
      uri: 'pkg:github/example/scanner@1.0.0',
      version: '1.0.0',
      db: { uri: 'https://example.com/db', version: '42', lastUpdate: '2025-03-01T00:00:00Z' },
      result: [{ id: 'CVE-2024-0001', severity: [{ method: 'nvd', score: 'HIGH' }], annotations: [{ fixed: true }] }],
    },
    metadata: { scanStartedOn: '2025-03-02T09:00:00Z', scanFinishedOn: '2025-03-02T09:05:00Z' },
  };

  it('takes it as is', () => {
    const out = vulns(predicate);
    assert.equal(out.predicateType, VULNS_V02);
    assert.equal(out.predicate, predicate);
  });

  it('refuses one a verifier could not read', () => {
    const broken = (change: (p: typeof predicate) => void): object => {
      const copy = structuredClone(predicate);
      change(copy);
      return copy;
    };
    refuses(() => vulns(broken((p) => Object.assign(p.scanner, { uri: '' }))), 'PREDICATE_INVALID', 'scanner.uri');
    refuses(
      () => vulns(broken((p) => Object.assign(p.scanner, { result: {} }))),
      'PREDICATE_INVALID',
      'scanner.result',
      'an empty object',
    );
    refuses(
      () => vulns(broken((p) => Object.assign(p.scanner.result[0] ?? {}, { id: null }))),
      'PREDICATE_INVALID',
      'scanner.result[0].id',
      'null',
    );
    refuses(
      () => vulns(broken((p) => Object.assign(p.scanner.result[0] ?? {}, { severity: 'HIGH' }))),
      'PREDICATE_INVALID',
      'scanner.result[0].severity',
      '"HIGH"',
    );
    refuses(
      () =>
        vulns(broken((p) => Object.assign(p.scanner.result[0] ?? {}, { severity: [{ method: 'nvd', score: 7.5 }] }))),
      'PREDICATE_INVALID',
      'severity[0].score',
      'number 7.5',
    );
    refuses(
      () => vulns(broken((p) => Object.assign(p.metadata, { scanFinishedOn: 'soon' }))),
      'PREDICATE_INVALID',
      'metadata.scanFinishedOn',
      '"soon"',
    );
  });
});

describe('vulns stage: anything else', () => {
  it('refuses it, naming the formats accepted', () => {
    refuses(
      () => vulns({ vulnerabilities: [] }),
      'PREDICATE_INVALID',
      '"vulnerabilities"',
      'SARIF 2.1.0',
      'Grype',
      'Trivy',
    );
    refuses(() => vulns([]), 'PREDICATE_INVALID', 'an empty array');
  });
  it('needs a document', () => {
    refuses(() => vulns(undefined), 'INPUT_CONFLICT', '"vulns"', 'predicate-path');
  });
});
