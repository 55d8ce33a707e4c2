// What a failed check means and what to do about it, one entry per check: the words a person
// reads before any table in the job summary, in the annotations and in the CLI report. Each check
// has its own advice (a missing chain stage is not a wrong signer, a changed file is not an
// unattested one), and ADVICE is a Record over CheckName so a new check cannot be added without
// its advice. Pure; the text here is ours, never quoted from a bundle.

import type { CheckFailure, CheckName } from '../types.ts';

export interface Advice {
  /** What failed, in words, as the start of a sentence ("the file changed after it was signed"). */
  what: string;
  /** What to do about it. */
  fix: string;
}

const ORIGIN_FIX =
  'use the artifact built by the workflow and ref the policy allows, or change the policy if this origin is intended';
const DAMAGED_FIX =
  'download the bundle again or re-run the attest step; if it keeps failing, treat the bundle as forged';

export const ADVICE: Readonly<Record<CheckName, Advice>> = {
  content: {
    what: 'what the attestation says does not meet a content policy (a CEL expression was false, or could not be evaluated)',
    fix: 'read the expression and the values it saw in the report: fix what the stage produced (e.g. a critical vulnerability without a not_affected VEX statement), or the expression if it reads the wrong field (docs/cel.md)',
  },
  'bundle-format': {
    what: 'the bundle is not a Sigstore bundle verify mode can read',
    fix: 'pass the .sigstore.json (or .jsonl) the attest step wrote, unedited; an old bare .intoto.jsonl needs a bundle made by a current attest step',
  },
  'trusted-root': {
    what: 'the trusted root is unusable',
    fix: 'use the trusted_root.json your Sigstore instance publishes, unedited, or a named root (public-good, github, auto)',
  },
  signature: { what: 'the signature does not verify', fix: DAMAGED_FIX },
  'public-key': {
    what: 'the bundle was not signed with the key given',
    fix: 'pass the public key the bundle was signed with in `key` (or drop `key` for bundles signed by a workflow)',
  },
  'certificate-chain': {
    what: 'the signing certificate does not chain to a trusted authority',
    fix: 'check trusted-root names the instance that signed it (github for private repositories, public-good for public ones, or auto); otherwise the bundle is forged',
  },
  sct: {
    what: 'the certificate has no valid timestamp from a trusted certificate-transparency log',
    fix: "check trusted-root is the signing instance's, unedited; otherwise the certificate was not issued by that instance",
  },
  tlog: {
    what: 'the transparency-log entry does not verify',
    fix: `check trusted-root is the signing instance's; otherwise ${DAMAGED_FIX}`,
  },
  timestamp: {
    what: 'the bundle has no trusted signing time',
    fix: 'check trusted-root includes the timestamp authority or log that signed it; otherwise re-run the attest step',
  },
  'subject-digest': {
    what: 'no bundle read attests this artifact',
    fix: "attest this exact file or image (attest after the last step that changes it), and make its bundle readable where verify mode looks: bundle-path, the image's registry, release, attestations-api",
  },
  'artifact-changed': {
    what: 'the file changed after signing: a bundle attests its name with another digest',
    fix: 'deploy the attested file, or rebuild and re-attest (attest after the last step that changes the file)',
  },
  'predicate-type': {
    what: 'the bundle attests something other than what the policy asks for',
    fix: 'pass the provenance bundle for this artifact, or set predicate-type to the type it attests',
  },
  'certificate-identity': { what: 'the signing identity is not the one the policy names', fix: ORIGIN_FIX },
  'certificate-oidc-issuer': {
    what: 'the identity was issued by another OIDC issuer than the policy names',
    fix: 'use the artifact signed in the expected CI (GitHub Actions: https://token.actions.githubusercontent.com), or change certificate-oidc-issuer',
  },
  repository: {
    what: 'the artifact was built in another repository than the policy names',
    fix: 'use the artifact from the repository the policy names, or change repository if this one is intended',
  },
  owner: {
    what: 'the artifact was built under another owner than the policy names',
    fix: 'use the artifact from the owner the policy names, or change owner if this one is intended',
  },
  'signer-workflow': {
    what: 'the artifact was signed by another workflow than the policy names',
    fix: 'use the artifact built by the workflow the policy names; if the workflow shown is the intended one (for a reusable workflow, the called one), name it in signer-workflow',
  },
  'signer-repository': {
    what: 'the signing (reusable) workflow lives in another repository than the policy names',
    fix: 'use the artifact signed by the workflow repository the policy names, or change signer-repository',
  },
  'source-ref': {
    what: 'the artifact was built from another branch or tag than the policy allows',
    fix: 'deploy an artifact built from the allowed ref (e.g. the release tag), or change source-ref',
  },
  'source-digest': {
    what: 'the artifact was built from another commit than the policy names',
    fix: 'deploy the artifact built from the pinned commit, or update source-digest',
  },
  'builder-id': {
    what: 'the builder is not the one the policy names',
    fix: 'use the artifact made by the builder the policy names, or change builder-id',
  },
  'runner-environment': {
    what: 'the artifact was built on a self-hosted runner, which the policy refuses',
    fix: 'rebuild on a GitHub-hosted runner, or drop deny-self-hosted-runners if self-hosted builds are trusted',
  },
  'max-age': { what: 'the signature is older than max-age allows', fix: 'rebuild and re-attest, or relax max-age' },
  'predicate-matches-certificate': {
    what: 'the provenance contradicts its own signing certificate',
    fix: 'treat the artifact as forged and do not deploy it; rebuild it with the release workflow',
  },
  'chain-stage': {
    what: 'a stage of the release chain has no attestation for this artifact',
    fix: "run that stage's attest step for this exact artifact, and make its bundle readable where verify mode looks",
  },
  'chain-link': {
    what: "a stage's attestation does not build on the stage before",
    fix: "re-run that stage with links pointing at the previous stage's bundle (or links: published), after the previous stage passes",
  },
  'chain-commit': {
    what: 'the source stage and the build do not name the same commit',
    fix: 'attest the source stage (stage: source) in the workflow run that builds, so its commit is the one the build provenance names, and make its bundle readable where verify mode looks',
  },
  'stage-result': {
    what: 'the stage ran, and its own attestation says it did not pass',
    fix: 'fix what the stage found and run it again; for an approval, run it in a job with the deployment environment whose reviewers must approve',
  },
};

/** The advice for one failure. A chain link is only a consequence when the stage before failed. */
export function adviceFor(failure: CheckFailure): Advice {
  if (failure.check === 'chain-link' && / failed, so there is nothing to link to$/.test(failure.found)) {
    return { what: 'this stage was not checked because a stage before it failed', fix: 'fix the first failing stage' };
  }
  return ADVICE[failure.check];
}
