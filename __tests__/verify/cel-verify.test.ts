// Content policies end to end in verify mode, on bundles signed by the local Sigstore stack: the
// `cel` input and a policy file's `cel` on plain bundles, and `cel="…"` on require-chain stages
// where a later stage reads what the scan and the VEX said (stages.vulns, stages.vex). Each of
// the examples passes on conforming content and fails on violating content, naming the
// stage and the expression, and the JSON report keeps every expression's result.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SerializedBundle } from '@sigstore/bundle';
import { withLinks } from '../../src/stages/links.ts';
import type { VerifyReport } from '../../src/verify/report/report.ts';
import { reportText } from '../../src/verify/index.ts';
import { chainMarkdown } from '../../src/verify/chain/render.ts';
import { reportMarkdown } from '../../src/verify/report/report-markdown.ts';
import { failedChecks, verifyWithInputs } from '../../testkit/verify-mode.ts';
import { startLocalServices, type LocalServices } from '../../testkit/index.ts';
import { provenanceStatement, signStatement } from '../../testkit/sign.ts';

let services: LocalServices;
let ws: string;
let count = 0;

const APP = 'app binary v1.2.0';
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
const subject = () => [{ name: 'app.bin', digest: { sha256: sha256(APP) } }];
const WF = 'octo-org/octo-repo/.github/workflows/release.yml';

before(async () => {
  services = await startLocalServices();
  ws = await mkdtemp(path.join(os.tmpdir(), 'verify-cel-'));
  await writeFile(path.join(ws, 'app.bin'), APP);
  await writeFile(path.join(ws, 'trusted_root.json'), JSON.stringify(services.sigstore.trustedRoot));
});
after(async () => {
  await services.stop();
  await rm(ws, { recursive: true, force: true });
});

async function run(bundles: SerializedBundle[], inputs: Record<string, string>): Promise<VerifyReport> {
  const file = `bundles-${++count}.jsonl`;
  await writeFile(path.join(ws, file), bundles.map((b) => JSON.stringify(b)).join('\n'));
  return verifyWithInputs(ws, {
    'subject-path': 'app.bin',
    'bundle-path': file,
    'trusted-root': 'trusted_root.json',
    'report-path': `report-${count}.json`,
    'certificate-oidc-issuer': services.issuer.issuer,
    repository: 'octo-org/octo-repo',
    'signer-workflow': WF,
    'source-ref': 'refs/tags/v*',
    ...inputs,
  });
}

/** A statement of `predicateType` over the app, linking to `after` (each a statement that was signed). */
function statement(predicateType: string, predicate: Record<string, unknown>, after: object[] = []): object {
  const targets = after.map((s) => ({
    statementDigest: sha256(JSON.stringify(s)),
    predicateType: (s as { predicateType: string }).predicateType,
    source: 'earlier',
  }));
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: subject(),
    predicateType,
    predicate: withLinks(predicateType, predicate, targets),
  };
}

describe('the cel input in plain verify mode', () => {
  it('passes a provenance built from a tag, and fails one built from a branch, with the values it saw', async () => {
    const tagged = await signStatement(services, provenanceStatement(services, subject()));
    const tagRule = "predicate.buildDefinition.externalParameters.workflow.ref.startsWith('refs/tags/')";
    const pass = await run([tagged], { cel: `${tagRule}\ncertificate.repository == 'octo-org/octo-repo'` });
    assert.equal(pass.verified, true, JSON.stringify(pass.artifacts, null, 1));
    assert.deepEqual(
      pass.artifacts[0]?.bundles[0]?.content?.map((c) => c.result),
      [true, true],
    );

    const fail = await run([tagged], {
      cel: "predicate.buildDefinition.externalParameters.workflow.ref.startsWith('refs/heads/')",
    });
    assert.equal(fail.verified, false);
    assert.deepEqual(failedChecks(fail), ['content']);
    const content = fail.artifacts[0]?.bundles[0]?.content?.[0];
    assert.equal(content?.result, false);
    assert.equal(content?.values?.['predicate.buildDefinition.externalParameters.workflow.ref'], '"refs/tags/v1.2.0"');
    const written = JSON.parse(await readFile(path.join(ws, `report-${count}.json`), 'utf8')) as VerifyReport;
    assert.equal(written.artifacts[0]?.bundles[0]?.content?.[0]?.result, false);
    // The job summary: what failed in words, with the expression as code (escaped, never raw Markdown).
    assert.match(reportMarkdown(fail), /content policy/);
    assert.match(reportMarkdown(fail), /startsWith\('refs\/heads\/'\)/);
    assert.match(
      reportText(fail),
      /content: expected CEL "predicate\.buildDefinition.*refs\/heads\/.*" to be true, found evaluated to false/,
    );
  });

  it('does no content work without an expression: the report has no content results', async () => {
    const r = await run([await signStatement(services, provenanceStatement(services, subject()))], {});
    assert.equal(r.verified, true);
    assert.equal(r.artifacts[0]?.bundles[0]?.content, undefined);
    assert.ok(!('content' in (r.artifacts[0]?.bundles[0] ?? {})));
  });

  it('fails an evaluation error in a policy file expression, never passing', async () => {
    const tagged = await signStatement(services, provenanceStatement(services, subject()));
    await writeFile(path.join(ws, 'policy.yml'), 'cel:\n  - "predicate.noSuchField == 1"\n');
    const r = await run([tagged], { policy: 'policy.yml' });
    assert.equal(r.verified, false);
    assert.equal(r.artifacts[0]?.bundles[0]?.content?.[0]?.result, 'error');
    assert.match(r.artifacts[0]?.bundles[0]?.content?.[0]?.message ?? '', /noSuchField/);
  });

  it("the source example: 'SLSA_SOURCE_LEVEL_3' in predicate.verifiedLevels", async () => {
    const VSA = 'https://slsa.dev/verification_summary/v1';
    const vsa = (level: string) =>
      statement(VSA, {
        verifier: { id: 'x' },
        timeVerified: '2026-01-01T00:00:00Z',
        resourceUri: 'git+https://github.com/octo-org/octo-repo',
        policy: { uri: 'x' },
        verificationResult: 'PASSED',
        verifiedLevels: [level],
      });
    const rule = { 'predicate-type': VSA, cel: "'SLSA_SOURCE_LEVEL_3' in predicate.verifiedLevels" };
    assert.equal((await run([await signStatement(services, vsa('SLSA_SOURCE_LEVEL_3'))], rule)).verified, true);
    const low = await run([await signStatement(services, vsa('SLSA_SOURCE_LEVEL_1'))], rule);
    assert.equal(low.verified, false);
    assert.deepEqual(failedChecks(low), ['content']);
  });
});

describe('cel= on require-chain stages', () => {
  const VULNS = 'https://in-toto.io/attestation/vulns/v0.2';
  const VEX = 'https://openvex.dev/ns/v0.2.0';
  const TEST = 'https://in-toto.io/attestation/test-result/v0.1';
  const CHAIN = [
    `provenance signer-workflow=${WF} cel="predicate.buildDefinition.externalParameters.workflow.ref.startsWith('refs/tags/')"`,
    `vulns signer-workflow=${WF}`,
    `vex signer-workflow=${WF}`,
    `policy signer-workflow=${WF} cel="stages.vulns.results.all(r, r.severity != 'CRITICAL' || r.id in stages.vex.notAffected)"`,
  ].join('\n');

  async function chain(severity: string, status: string): Promise<VerifyReport> {
    const provenance = provenanceStatement(services, subject());
    const vulns = statement(
      VULNS,
      {
        scanner: {
          uri: 'pkg:github/aquasecurity/trivy',
          result: [{ id: 'CVE-2024-0001', severity: [{ method: 'trivy', score: severity }] }],
        },
        metadata: { scanStartedOn: '2026-01-01T00:00:00Z', scanFinishedOn: '2026-01-01T00:00:00Z' },
      },
      [provenance],
    );
    const vex = statement(
      VEX,
      { '@context': VEX, statements: [{ vulnerability: { name: 'CVE-2024-0001' }, status, products: [] }] },
      [vulns],
    );
    const gate = statement(
      TEST,
      { result: 'PASSED', configuration: [], passedTests: ['all'], warnedTests: [], failedTests: [] },
      [vex],
    );
    const bundles = await Promise.all([provenance, vulns, vex, gate].map((s) => signStatement(services, s)));
    return run(bundles, { 'require-chain': CHAIN, 'signer-workflow': '' });
  }

  it('passes a critical vulnerability the VEX says is not_affected, keeping each result per stage', async () => {
    const r = await chain('CRITICAL', 'not_affected');
    assert.equal(r.verified, true, JSON.stringify(r.chains, null, 1));
    assert.deepEqual(
      r.chains?.[0]?.stages[3]?.content?.map((c) => c.result),
      [true],
    );
    assert.deepEqual(
      r.chains?.[0]?.stages[0]?.content?.map((c) => c.result),
      [true],
    );
    assert.equal(r.chains?.[0]?.stages[1]?.content, undefined);
    assert.match(reportText(r), /4\. .*policy.*: pass — .* \(content: 1 of 1 CEL expression\(s\) true\)/);
    assert.match(chainMarkdown(r.chains ?? []), /✅ pass<br>content: 1 of 1 CEL expression\(s\) true/);
  });

  it('fails an affected critical vulnerability at the policy stage, naming the stage and the expression', async () => {
    const r = await chain('CRITICAL', 'affected');
    assert.equal(r.verified, false);
    const stage = r.chains?.[0]?.stages[3];
    assert.equal(stage?.status, 'rejected');
    assert.equal(stage?.failures[0]?.check, 'content');
    assert.match(stage?.failures[0]?.expected ?? '', /^stage 4 "policy" \(.*\): CEL "stages\.vulns\.results\.all/);
    assert.match(
      stage?.failures[0]?.found ?? '',
      /evaluated to false; stages\.vulns\.results = \[\{"id":"CVE-2024-0001","severity":"CRITICAL"\}\]; stages\.vex\.notAffected = \[\]/,
    );
    assert.equal(stage?.content?.[0]?.result, false);
    assert.match(reportText(r), /4\. .*policy.*: FAIL \(rejected\) — content: expected stage 4 "policy"/);
    assert.match(chainMarkdown(r.chains ?? []), /content policy/);
  });
});
