import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attestSummaryMarkdown, attestSummaryText, SUMMARY_SUBJECT_ROWS, type AttestReport } from '../../src/output/summary.ts';

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
    assert.ok(md.includes('- **Signer:** `release.yml@v1` (`https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1`)'), md);
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
});
