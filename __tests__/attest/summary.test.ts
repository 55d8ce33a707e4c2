import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  attestSummaryMarkdown,
  attestSummaryText,
  attestTitle,
  SUMMARY_SUBJECT_ROWS,
  type AttestReport,
} from '../../src/attest/summary.ts';
import {
  HUMAN_REVIEW_V01,
  OPENVEX_V02,
  SLSA_PROVENANCE_V1,
  SPDX_2_3,
  VSA_V1,
  VULNS_V02,
} from '../../src/stages/presets.ts';

const report = (n: number): AttestReport => ({
  predicateType: 'https://slsa.dev/provenance/v1',
  subjects: Array.from({ length: n }, (_, i) => ({ name: `app|${i}`, digest: { sha256: 'ab'.repeat(32) } })),
  statementCount: 1,
  bundleFile: '/tmp/x.sigstore.json',
  signer: 'https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1',
  issuer: 'https://token.actions.githubusercontent.com',
  instance: 'public-good',
  logEntries: [{ index: '42', url: 'https://search.sigstore.dev/?logIndex=42' }],
  timestamps: [],
});

describe('attest summary', () => {
  it('shows subjects, signer and the linked log entry, escaping table cells', () => {
    const md = attestSummaryMarkdown(report(2));
    assert.ok(
      md.includes(
        '- **Signer:** `release.yml@v1` (`https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1`)',
      ),
      md,
    );
    assert.match(md, /\[log index 42\]\(https:\/\/search\.sigstore\.dev\/\?logIndex=42\)/);
    assert.match(md, /\| `app\\\|0` \| `sha256:(ab){32}` \|/);
  });
  it('lists at most the first rows of a large release and says how many more', () => {
    const md = attestSummaryMarkdown(report(SUMMARY_SUBJECT_ROWS + 5));
    assert.equal(md.split('\n').filter((l) => l.startsWith('| `app')).length, SUMMARY_SUBJECT_ROWS);
    assert.match(md, /… and 5 more/);
  });
  it('has a plain-text form for the CLI', () => {
    assert.match(attestSummaryText(report(1)), /^attested 1 subject in 1 statement/);
  });
  it('titles the summary by what was attested', () => {
    assert.deepEqual(
      [
        SLSA_PROVENANCE_V1,
        SPDX_2_3,
        VULNS_V02,
        OPENVEX_V02,
        VSA_V1,
        HUMAN_REVIEW_V01,
        'https://example.com/custom',
      ].map((type) => attestTitle(type)),
      [
        'Provenance attested',
        'SBOM attested',
        'Vulnerability scan attested',
        'VEX attested',
        'Policy evaluation attested',
        'Approval attested',
        'Attestation signed',
      ],
    );
    assert.match(attestSummaryMarkdown({ ...report(1), predicateType: HUMAN_REVIEW_V01 }), /^## Approval attested\n/);
    // A VSA about a commit is the source stage's; about an artifact, a policy evaluation's.
    const commit = { name: 'https://github.com/o/r/commit/x', digest: { gitCommit: 'a'.repeat(40) } };
    assert.equal(attestTitle(VSA_V1, [commit]), 'Source review attested');
    assert.equal(
      attestTitle(VSA_V1, [{ name: 'app', digest: { sha256: 'a'.repeat(64) } }]),
      'Policy evaluation attested',
    );
  });
  it('has no empty table header, and shows the warnings the log shows', () => {
    const md = attestSummaryMarkdown({
      ...report(1),
      warnings: ['approval: the job has no deployment environment, so no reviewer approved it'],
    });
    assert.doesNotMatch(md, /^\| *\| *\|$/m);
    assert.ok(
      md.includes('> [!WARNING]\n> approval: the job has no deployment environment, so no reviewer approved it'),
      md,
    );
  });
  it('links the attestation page, and names the bundle relative to the workspace, never by a runner path', () => {
    const inside = attestSummaryMarkdown(
      { ...report(1), bundleFile: '/home/runner/work/app/app/dist/x.sigstore.json' },
      { workspace: '/home/runner/work/app/app', attestationUrls: ['https://github.com/o/r/attestations/12'] },
    );
    assert.ok(
      inside.includes('- **Attestation:** [github.com/o/r/attestations/12](https://github.com/o/r/attestations/12)'),
      inside,
    );
    assert.ok(inside.includes('- **Bundle:** `dist/x.sigstore.json`'), inside);
    const temp = attestSummaryMarkdown(
      { ...report(1), bundleFile: '/home/runner/work/_temp/provenance/x.sigstore.json' },
      { workspace: '/home/runner/work/app/app', attestationUrls: ['javascript:alert(1)'] },
    );
    assert.doesNotMatch(temp, /\/home\/runner/);
    assert.doesNotMatch(temp, /\]\(javascript/);
    assert.ok(temp.includes("`x.sigstore.json` (in the runner's temp directory"), temp);
  });
});
