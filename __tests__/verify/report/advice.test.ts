// Every check has its own advice, and the advice fits the check: a table keyed by CheckName (so
// the typecheck fails when a check is added without a row here) of what the fix must say.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADVICE, adviceFor } from '../../../src/verify/report/advice.ts';
import type { CheckName } from '../../../src/verify/types.ts';

const EXPECTED: Record<CheckName, { what: RegExp; fix: RegExp }> = {
  'bundle-format': { what: /not a Sigstore bundle/, fix: /\.sigstore\.json/ },
  'trusted-root': { what: /trusted root is unusable/, fix: /trusted_root\.json/ },
  signature: { what: /signature does not verify/, fix: /download the bundle again.*forged/ },
  'public-key': { what: /not signed with the key given/, fix: /`key`/ },
  'certificate-chain': { what: /does not chain to a trusted authority/, fix: /trusted-root names the instance/ },
  sct: { what: /certificate-transparency log/, fix: /trusted-root/ },
  tlog: { what: /transparency-log entry/, fix: /trusted-root.*re-run the attest step/ },
  timestamp: { what: /no trusted signing time/, fix: /timestamp authority/ },
  'subject-digest': { what: /no bundle read attests this artifact/, fix: /attest this exact file.*bundle-path/ },
  'artifact-changed': { what: /changed after signing/, fix: /deploy the attested file, or rebuild and re-attest/ },
  'predicate-type': { what: /something other than what the policy asks for/, fix: /predicate-type/ },
  'certificate-identity': { what: /signing identity/, fix: /change the policy/ },
  'certificate-oidc-issuer': { what: /OIDC issuer/, fix: /certificate-oidc-issuer/ },
  repository: { what: /another repository/, fix: /change repository/ },
  owner: { what: /another owner/, fix: /change owner/ },
  'signer-workflow': { what: /another workflow/, fix: /signer-workflow/ },
  'signer-repository': { what: /workflow lives in another repository/, fix: /signer-repository/ },
  'source-ref': { what: /another branch or tag/, fix: /source-ref/ },
  'source-digest': { what: /another commit/, fix: /source-digest/ },
  'builder-id': { what: /builder/, fix: /builder-id/ },
  'runner-environment': { what: /self-hosted runner/, fix: /deny-self-hosted-runners/ },
  'max-age': { what: /older than max-age/, fix: /relax max-age/ },
  'predicate-matches-certificate': { what: /contradicts its own signing certificate/, fix: /do not deploy/ },
  'chain-stage': { what: /stage of the release chain has no attestation/, fix: /run that stage's attest step/ },
  'chain-link': { what: /does not build on the stage before/, fix: /links/ },
  'chain-commit': { what: /source stage and the build do not name the same commit/, fix: /stage: source/ },
  content: { what: /content policy.*CEL expression/, fix: /values it saw.*docs\/cel\.md/ },
  'stage-result': { what: /own attestation says it did not pass/, fix: /environment whose reviewers must approve/ },
};

describe('advice per check', () => {
  for (const [check, expected] of Object.entries(EXPECTED) as [CheckName, { what: RegExp; fix: RegExp }][]) {
    it(check, () => {
      const advice = adviceFor({ check, expected: 'x', found: 'y' });
      assert.match(advice.what, expected.what);
      assert.match(advice.fix, expected.fix);
    });
  }

  it('covers exactly the checks there are, each with a fix of its own', () => {
    assert.deepEqual(Object.keys(ADVICE).sort(), Object.keys(EXPECTED).sort());
    const fixes = Object.values(ADVICE).map((a) => a.fix);
    assert.equal(new Set(fixes).size, fixes.length, 'no two checks share a fix');
  });

  it('does not give a missing stage or a changed file the wrong-signer or never-attested advice', () => {
    const signer = adviceFor({ check: 'signer-workflow', expected: 'x', found: 'y' }).fix;
    assert.notEqual(adviceFor({ check: 'chain-stage', expected: 'x', found: 'y' }).fix, signer);
    assert.notEqual(
      adviceFor({ check: 'artifact-changed', expected: 'x', found: 'y' }).fix,
      adviceFor({ check: 'subject-digest', expected: 'x', found: 'y' }).fix,
    );
  });

  it('calls an unreached stage a consequence, and a broken link a broken link', () => {
    assert.match(
      adviceFor({
        check: 'chain-link',
        expected: 'stage 2 "sbom" to build on a passing stage 1 "provenance"',
        found: 'stage 1 failed, so there is nothing to link to',
      }).fix,
      /fix the first failing stage/,
    );
    assert.match(
      adviceFor({ check: 'chain-link', expected: 'stage 2 "sbom" to link to stage 1', found: 'links to nothing' }).fix,
      /re-run that stage with links/,
    );
  });
});
