// The bad-input catalogue (issue #7, item 4): mistakes users make, each with the one line they
// see, why it happens and how to fix it. One table, read twice: catalogue.test.ts runs every case
// through the bundled action (or the CLI) and checks the exit code and the line; and
// scripts/troubleshooting.ts renders it as docs/troubleshooting.md, so the page cannot drift from
// what the action prints. Pure data: no test machinery is imported here.
//
// Every workspace the test makes for a case already holds (so cases name only what differs):
//   x.bin                 an artifact nobody attested
//   app.bin               an artifact attested by the action in release.yml (push of refs/tags/v1.2.0)
//   app.bin.sigstore.json its bundle, signed against the local Sigstore stack
//   old.bin, old.sigstore.json, old_root.json
//                         an artifact whose bundle was signed after its certificate had expired,
//                         and the trusted root of the instance that signed it
//   signing.json          the local stack's SigningConfig (attest cases sign with it by default)
//   trusted_root.json     the local stack's trusted root
// Placeholders in inputs, env and argv, replaced by the test: {issuer} (the local OIDC issuer's
// URL), {github} (the GitHub API stand-in's URL), {token} (a token the stand-in accepts).

import type { Endpoint as GitHubEndpoint } from '../../testkit/github-api/index.ts';

export type Area =
  'inputs' | 'values' | 'files' | 'policy' | 'identity' | 'trust' | 'verification' | 'publishing' | 'cli';

/** The areas in the order the troubleshooting page shows them, with their headings. */
export const AREAS: readonly { area: Area; heading: string; intro: string }[] = [
  {
    area: 'inputs',
    heading: 'Inputs that cannot be combined',
    intro: 'Two inputs that contradict each other, or none of a set the mode needs. Nothing is signed or read.',
  },
  {
    area: 'values',
    heading: 'Input values the action cannot use',
    intro: 'An input with a value outside what it accepts. The line names the input and quotes the value.',
  },
  {
    area: 'files',
    heading: 'Files and paths',
    intro:
      'Paths are resolved against the workspace (GITHUB_WORKSPACE), symlinks included, and only regular files are read.',
  },
  {
    area: 'policy',
    heading: 'Policy files',
    intro: 'The policy input names a YAML or JSON file holding the same rules as the inputs, under the same names.',
  },
  {
    area: 'identity',
    heading: 'Permissions and identity',
    intro: 'Signing needs an OIDC token of the job; SLSA provenance needs one from GitHub Actions.',
  },
  {
    area: 'trust',
    heading: 'Trusted roots',
    intro:
      "What verify mode trusts: the public-good root (current through TUF, or the snapshot shipped with the action), GitHub's, or a trusted_root.json file.",
  },
  {
    area: 'verification',
    heading: 'Verification results people misread',
    intro:
      'The bundle was read but does not pass. Each failing artifact gets an annotation; the last error line sums up, and the JSON report (report-path) lists every check.',
  },
  {
    area: 'publishing',
    heading: 'Publishing',
    intro:
      'Inputs that cannot work are refused before anything is signed. What only the service can tell (a missing release, a refused token) fails after signing, and the step leaves no bundle file; fix the cause and re-run (publishing is idempotent).',
  },
  {
    area: 'cli',
    heading: 'The provenance command (CLI)',
    intro: 'The same inputs as flags; errors go to stderr as "provenance: <line>".',
  },
];

/** A file a case puts into its workspace: text, a symlink, a FIFO, a directory, `bytes` of filler, or an edited trusted root. */
export type FileSpec =
  | string
  | { symlink: string }
  | { fifo: true }
  | { dir: true }
  | { bytes: number }
  /** The local stack's trusted root with one field (a dotted path) deleted. */
  | { trustedRootWithout: string };

export interface CatalogueCase {
  /** Stable, kebab-case: the anchor on the troubleshooting page. */
  id: string;
  area: Area;
  /** The mistake, as a user would describe it. */
  title: string;
  mode: 'attest' | 'verify' | 'cli';
  /** Action inputs (attest cases get `sigstore: signing.json` unless they set sigstore). */
  inputs?: Record<string, string>;
  /** CLI arguments after `provenance`. */
  argv?: string[];
  files?: Record<string, FileSpec>;
  /** Environment over the runner's; null unsets a variable. */
  env?: Record<string, string | null>;
  /** The job token's claims for this run (and the GITHUB_* variables that follow them). */
  claims?: Record<string, string>;
  /** Answers the GitHub API stand-in gives instead of serving these endpoints (testkit/github-api). */
  githubFaults?: Partial<Record<GitHubEndpoint, { status: number; message: string }[]>>;
  /** For the CLI: SIGSTORE_ID_TOKEN minted by the local issuer with this audience. */
  idToken?: { audience: string };
  /** The signature must be at least this old when the case runs. */
  minAgeSeconds?: number;
  exit: number;
  /** input: exactly one error line. verification: per-artifact annotations, then the failure line last. */
  kind: 'input' | 'verification';
  /** What the run may leave behind: nothing (default), or the verify report. */
  leaves?: 'report';
  /** The one line (without `::error::` or `provenance: `). */
  message: RegExp;
  /** The line as users see it; must match `message`. */
  example: string;
  cause: string;
  fix: string;
  code: string;
}

const GATE: Record<string, string> = {
  mode: 'verify',
  'subject-path': 'app.bin',
  'bundle-path': 'app.bin.sigstore.json',
  'trusted-root': 'trusted_root.json',
  'certificate-oidc-issuer': '{issuer}',
  repository: 'octo-org/octo-repo',
  'signer-workflow': 'octo-org/octo-repo/.github/workflows/release.yml',
};

const BIG = 16 * 1024 * 1024 + 1;

export const CASES: readonly CatalogueCase[] = [
  // ── inputs that cannot be combined ──────────────────────────────────────────────────────
  {
    id: 'no-subjects',
    area: 'inputs',
    title: 'I ran attest mode without saying what to attest',
    mode: 'attest',
    inputs: {},
    exit: 1,
    kind: 'input',
    message:
      /^no subjects: one of subject-path, subject-digest \(with subject-name\), subject-checksums or artifact is required\. Add .*\[INPUT_CONFLICT\]$/,
    example:
      'no subjects: one of subject-path, subject-digest (with subject-name), subject-checksums or artifact is required. Add e.g. "subject-path: dist/*" to the step [INPUT_CONFLICT]',
    cause: 'None of the subject inputs is set (or they are set to an empty output of an earlier step).',
    fix: 'Set subject-path to the release files, or subject-name with subject-digest for images, or subject-checksums to a sha256sum file, or artifact to the workflow artifact an earlier job uploaded. Check that the step output you pass is not empty.',
    code: 'INPUT_CONFLICT',
  },
  {
    id: 'artifact-and-subject-path',
    area: 'inputs',
    title: 'I set artifact and subject-path in one attest step',
    mode: 'attest',
    inputs: { artifact: 'build-output', 'subject-path': 'x.bin' },
    exit: 1,
    kind: 'input',
    message:
      /^artifact and subject-path are both set; expected one source of subjects per step\. .*\[INPUT_CONFLICT\]$/,
    example:
      "artifact and subject-path are both set; expected one source of subjects per step. Attest the artifact's files alone (drop subject-path), or drop artifact and name the subjects in this job [INPUT_CONFLICT]",
    cause:
      'artifact makes the files of a workflow artifact an earlier job uploaded the subjects; files named in this job as well would be signed as if that job had handed them over.',
    fix: 'Keep one: artifact for what the build job uploaded (e.g. in the reusable signing workflow), or the subject inputs for files of this job.',
    code: 'INPUT_CONFLICT',
  },
  {
    id: 'stage-and-predicate-type',
    area: 'inputs',
    title: 'I set both stage and predicate-type',
    mode: 'attest',
    inputs: {
      'subject-path': 'x.bin',
      stage: 'sbom',
      'predicate-type': 'https://spdx.dev/Document',
      'predicate-path': 'sbom.json',
    },
    files: { 'sbom.json': '{"spdxVersion":"SPDX-2.3"}' },
    exit: 1,
    kind: 'input',
    message: /^stage: sbom and predicate-type are both set\. Drop predicate-type: .*\[INPUT_CONFLICT\]$/,
    example:
      'stage: sbom and predicate-type are both set. Drop predicate-type: stage sbom picks the predicate type from the document [INPUT_CONFLICT]',
    cause:
      'A stage preset reads the predicate type from the document itself (SPDX or CycloneDX, SARIF, OpenVEX, ...); a second type would contradict it.',
    fix: 'Drop predicate-type. Keep predicate-type only for predicates no stage knows, and then leave stage empty.',
    code: 'INPUT_CONFLICT',
  },
  {
    id: 'predicate-without-type',
    area: 'inputs',
    title: 'I gave a predicate file but no predicate-type',
    mode: 'attest',
    inputs: { 'subject-path': 'x.bin', 'predicate-path': 'sbom.json' },
    files: { 'sbom.json': '{"spdxVersion":"SPDX-2.3"}' },
    exit: 1,
    kind: 'input',
    message: /^predicate-path is set without predicate-type\. Set predicate-type to the URI .*\[INPUT_CONFLICT\]$/,
    example:
      'predicate-path is set without predicate-type. Set predicate-type to the URI of the predicate you supply (e.g. https://spdx.dev/Document/v2.3), or drop it to attest SLSA provenance [INPUT_CONFLICT]',
    cause:
      'Without predicate-type the action attests SLSA provenance, which it builds itself; a predicate of your own needs its type URI.',
    fix: 'Set predicate-type to the type URI of your document, or use stage (sbom, vulns, vex, policy) for the documents it knows.',
    code: 'INPUT_CONFLICT',
  },
  {
    id: 'predicate-and-predicate-path',
    area: 'inputs',
    title: 'I gave the predicate both inline and as a file',
    mode: 'attest',
    inputs: {
      'subject-path': 'x.bin',
      'predicate-type': 'https://example.com/test/v1',
      predicate: '{"ok":true}',
      'predicate-path': 'p.json',
    },
    files: { 'p.json': '{"ok":true}' },
    exit: 1,
    kind: 'input',
    message:
      /^predicate and predicate-path are both set\. Give the predicate either inline or as a file, not both \[INPUT_CONFLICT\]$/,
    example:
      'predicate and predicate-path are both set. Give the predicate either inline or as a file, not both [INPUT_CONFLICT]',
    cause:
      'predicate holds the JSON inline and predicate-path names a file; with both set it is unclear which one to sign.',
    fix: 'Remove one of them.',
    code: 'INPUT_CONFLICT',
  },
  {
    id: 'require-digest-tag',
    area: 'values',
    title: 'My deploy gate sets require-digest and names an image by tag',
    mode: 'verify',
    inputs: {
      mode: 'verify',
      images: 'ghcr.io/octo-org/app:v1.2.0',
      'require-digest': 'true',
      'trusted-root': 'trusted_root.json',
      repository: 'octo-org/octo-repo',
    },
    exit: 1,
    kind: 'input',
    message:
      /^require-digest: images names the image "ghcr\.io\/octo-org\/app:v1\.2\.0", which is not pinned by digest \(the deployment would resolve its tag again\); expected registry\/repository\[:tag\]@sha256:<64 hex>\. Pin the image .*\[INPUT_INVALID\]$/,
    example:
      'require-digest: images names the image "ghcr.io/octo-org/app:v1.2.0", which is not pinned by digest (the deployment would resolve its tag again); expected registry/repository[:tag]@sha256:<64 hex>. Pin the image by the digest the build printed (e.g. docker/build-push-action\'s digest output), or set require-digest: false [INPUT_INVALID]',
    cause:
      'A gate resolves a tag to a digest once and the deployment resolves it again; anyone who can push can move the tag in between. require-digest refuses every reference without @sha256: (in images and in manifests, where the line is named) before any registry is asked.',
    fix: 'Pin the image by digest (a tag may stay beside it: app:v1.2.0@sha256:…), and deploy that same reference.',
    code: 'INPUT_INVALID',
  },
  {
    id: 'require-chain-and-predicate-type',
    area: 'inputs',
    title: 'I set require-chain and predicate-type in verify mode',
    mode: 'verify',
    inputs: { ...GATE, 'require-chain': 'provenance\nsbom', 'predicate-type': 'https://slsa.dev/provenance/v1' },
    exit: 1,
    kind: 'input',
    message: /^predicate-type and require-chain are both set\. Drop predicate-type: each stage .*\[INPUT_CONFLICT\]$/,
    example:
      'predicate-type and require-chain are both set. Drop predicate-type: each stage of require-chain names its own predicate types [INPUT_CONFLICT]',
    cause:
      'Each stage of a chain has its own predicate type (provenance, SBOM, scan, ...), so one predicate-type for all of them cannot hold.',
    fix: 'Drop predicate-type; name stages by preset (sbom, vulns, ...) or by predicate type URI in require-chain.',
    code: 'INPUT_CONFLICT',
  },
  {
    id: 'verify-without-signer-rule',
    area: 'inputs',
    title: 'I verify without saying who must have signed',
    mode: 'verify',
    inputs: { ...GATE, repository: '', 'signer-workflow': '' },
    exit: 1,
    kind: 'input',
    message:
      /^verify mode needs a rule naming the signer, or any GitHub repository's provenance would pass: none of repository, .* is set\. Add e\.g\. "repository: OWNER\/REPO" .*\[INPUT_CONFLICT\]$/,
    example:
      'verify mode needs a rule naming the signer, or any GitHub repository\'s provenance would pass: none of repository, owner, signer-workflow, signer-repository, builder-id, certificate-identity, certificate-identity-regexp is set. Add e.g. "repository: OWNER/REPO" (and "signer-workflow: OWNER/REPO/.github/workflows/release.yml"), or "key" for bundles signed with a managed key [INPUT_CONFLICT]',
    cause:
      'Any GitHub repository can sign provenance for any file; without a rule on the signer, a bundle from anyone would pass.',
    fix: 'Add repository (and ideally signer-workflow and source-ref) to the step or the policy file.',
    code: 'INPUT_CONFLICT',
  },
  {
    id: 'verify-builder-without-source',
    area: 'inputs',
    title: 'I verify with builder-id (or signer-repository) and no repository',
    mode: 'verify',
    inputs: {
      ...GATE,
      repository: '',
      'signer-workflow': '',
      'builder-id':
        'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0',
    },
    exit: 1,
    kind: 'input',
    message:
      /^verify mode: builder-id "https:\/\/github\.com\/slsa-framework\/[^"]+" names the workflow that signs, not the repository it builds, and neither repository nor owner is set, so provenance built by any repository that calls that workflow would pass\. Add "repository: OWNER\/REPO" \(or "owner: OWNER"\) .*\[INPUT_CONFLICT\]$/,
    example:
      'verify mode: builder-id "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0" names the workflow that signs, not the repository it builds, and neither repository nor owner is set, so provenance built by any repository that calls that workflow would pass. Add "repository: OWNER/REPO" (or "owner: OWNER") for the source you deploy, as gh attestation verify requires --repo or --owner [INPUT_CONFLICT]',
    cause:
      'A builder such as slsa-github-generator is a reusable workflow: any repository can call it, and the certificate then names the caller as the source. builder-id and signer-repository say who built, not what was built, so alone they would pass provenance that another repository built with the same builder. signer-workflow alone is accepted and read as that workflow in its own repository.',
    fix: 'Add repository (or owner) naming the source repository you deploy from, to the step, the policy file, or each require-chain stage that sets builder-id or signer-repository.',
    code: 'INPUT_CONFLICT',
  },
  {
    id: 'verify-without-bundles',
    area: 'inputs',
    title: 'I verify files but did not say where the bundles are',
    mode: 'verify',
    inputs: { ...GATE, 'bundle-path': '' },
    exit: 1,
    kind: 'input',
    message: /^verify mode needs bundles: bundle-path, .*\. Set bundle-path, .*\[INPUT_CONFLICT\]$/,
    example:
      'verify mode needs bundles: bundle-path, or images/manifests (read from their registry), release, artifact, or attestations-api: true. Set bundle-path, e.g. "dist/*.sigstore.json" or the .jsonl written by attest mode [INPUT_CONFLICT]',
    cause:
      'Files carry no attestation themselves: verify mode reads bundles from files, registries, a release, a workflow artifact or the attestations API, and none is named.',
    fix: 'Set bundle-path to the bundle files, or release, artifact or attestations-api: true to read them from GitHub.',
    code: 'INPUT_CONFLICT',
  },

  // ── input values ────────────────────────────────────────────────────────────────────────
  {
    id: 'mode-typo',
    area: 'values',
    title: 'I mistyped mode',
    mode: 'attest',
    inputs: { mode: 'verfy', 'subject-path': 'x.bin' },
    exit: 1,
    kind: 'input',
    message:
      /^mode: "verfy" is neither attest nor verify\. Set mode to attest \(the default\) or verify \[INPUT_INVALID\]$/,
    example: 'mode: "verfy" is neither attest nor verify. Set mode to attest (the default) or verify [INPUT_INVALID]',
    cause: 'mode accepts attest and verify only.',
    fix: 'Set mode: verify (or leave it out to attest).',
    code: 'INPUT_INVALID',
  },
  {
    id: 'sigstore-unknown',
    area: 'values',
    title: 'I set sigstore to an instance name the action does not know',
    mode: 'attest',
    inputs: { 'subject-path': 'x.bin', sigstore: 'staging' },
    exit: 1,
    kind: 'input',
    message:
      /^sigstore: "staging" is neither auto, public-good, github nor the path of a SigningConfig \.json file\. Use "auto" .*\[INPUT_INVALID\]$/,
    example:
      'sigstore: "staging" is neither auto, public-good, github nor the path of a SigningConfig .json file. Use "auto" (public-good for public repositories, GitHub\'s instance otherwise) unless you run your own Sigstore [INPUT_INVALID]',
    cause:
      'sigstore takes auto, public-good, github, or the path of a SigningConfig JSON file for another instance (such as staging).',
    fix: "Use auto, or download the instance's signing_config.json into the workspace and give its path.",
    code: 'INPUT_INVALID',
  },
  {
    id: 'attestations-api-yes',
    area: 'values',
    title: 'I wrote attestations-api: yes',
    mode: 'attest',
    inputs: { 'subject-path': 'x.bin', 'attestations-api': 'yes' },
    exit: 1,
    kind: 'input',
    message: /^attestations-api: "yes" is not auto, true or false\. Use auto .*\[INPUT_INVALID\]$/,
    example:
      'attestations-api: "yes" is not auto, true or false. Use auto (store where the repository\'s plan allows), true (require it) or false [INPUT_INVALID]',
    cause: 'attestations-api is auto, true or false; YAML-style yes/no/on/off are not accepted.',
    fix: 'Write true (fail when the API refuses), auto or false.',
    code: 'INPUT_INVALID',
  },
  {
    id: 'release-asset-name-not-jsonl',
    area: 'values',
    title: 'I named the release asset something other than a .jsonl file',
    mode: 'attest',
    inputs: { 'subject-path': 'x.bin', 'release-asset-name': 'provenance.json' },
    exit: 1,
    kind: 'input',
    message:
      /^release-asset-name: "provenance\.json" is not a plain \.jsonl file name\. Use a name like .*\[INPUT_INVALID\]$/,
    example:
      'release-asset-name: "provenance.json" is not a plain .jsonl file name. Use a name like provenance.intoto.jsonl, or leave it empty for one <subject>.sigstore.json per subject [INPUT_INVALID]',
    cause:
      'One asset for all subjects holds one bundle per line (JSON Lines), so its name must end in .jsonl and be a plain file name.',
    fix: 'Use e.g. provenance.intoto.jsonl, or leave release-asset-name empty to upload one <subject>.sigstore.json per subject.',
    code: 'INPUT_INVALID',
  },
  {
    id: 'boolean-yes',
    area: 'values',
    title: 'I wrote push-to-registry: yes',
    mode: 'attest',
    inputs: { 'subject-path': 'x.bin', 'push-to-registry': 'yes' },
    exit: 1,
    kind: 'input',
    message: /^push-to-registry: "yes" is not true or false\. Set push-to-registry to true or false \[INPUT_INVALID\]$/,
    example: 'push-to-registry: "yes" is not true or false. Set push-to-registry to true or false [INPUT_INVALID]',
    cause: "Boolean inputs take true or false (any case), as GitHub's own actions do.",
    fix: 'Write true or false.',
    code: 'INPUT_INVALID',
  },
  {
    id: 'stage-unknown',
    area: 'values',
    title: 'I named a stage the action has no preset for',
    mode: 'attest',
    inputs: { 'subject-path': 'x.bin', stage: 'sboms', 'predicate-path': 'sbom.json' },
    files: { 'sbom.json': '{"spdxVersion":"SPDX-2.3"}' },
    exit: 1,
    kind: 'input',
    message:
      /^stage: "sboms" is not one of source, provenance, sbom, vulns, vex, policy, approval, deployment\. Pick .*\[INPUT_INVALID\]$/,
    example:
      'stage: "sboms" is not one of source, provenance, sbom, vulns, vex, policy, approval, deployment. Pick the stage your document records, or leave stage empty and set predicate-type for any other predicate [INPUT_INVALID]',
    cause: 'stage picks one of the built-in presets by name.',
    fix: 'Use one of the names listed, or leave stage empty and give predicate-type for another kind of document.',
    code: 'INPUT_INVALID',
  },
  {
    id: 'deployment-target-credentials',
    area: 'values',
    title: 'I gave a deployment target URL with a password in it',
    mode: 'attest',
    inputs: {
      'subject-path': 'x.bin',
      stage: 'deployment',
      'deployment-target': 'https://deploy:hunter2@shop.example.com',
    },
    exit: 1,
    kind: 'input',
    message:
      /^deployment-target: the URL "https:\/\/shop\.example\.com\/" holds a user name or password\. .*\[INPUT_INVALID\]$/,
    example:
      'deployment-target: the URL "https://shop.example.com/" holds a user name or password. Remove the credentials from the URL: the deployment attestation is public in the transparency log [INPUT_INVALID]',
    cause:
      'The deployment attestation records its target, and attestations are public in the transparency log; the message names the URL without the credentials.',
    fix: 'Give the URL the artifact serves at without user name or password, or a cluster name.',
    code: 'INPUT_INVALID',
  },
  {
    id: 'digest-short',
    area: 'values',
    title: 'I passed a shortened or malformed digest',
    mode: 'attest',
    inputs: { 'subject-name': 'ghcr.io/octo-org/app', 'subject-digest': 'sha256:abc' },
    exit: 1,
    kind: 'input',
    message:
      /^subject-digest line 1 "sha256:abc" is not a digest; expected sha256:<64 hex>, sha384:<96 hex> or sha512:<128 hex>\. Write the digest .*\[SUBJECT_DIGEST_INVALID\]$/,
    example:
      'subject-digest line 1 "sha256:abc" is not a digest; expected sha256:<64 hex>, sha384:<96 hex> or sha512:<128 hex>. Write the digest as printed by `sha256sum` with its algorithm in front, e.g. sha256:9f86d0… [SUBJECT_DIGEST_INVALID]',
    cause:
      'A digest must be complete and carry its algorithm; an abbreviated one (as some UIs show) names nothing for certain.',
    fix: "Pass the full digest, e.g. the digest output of docker/build-push-action, or sha256: followed by sha256sum's 64 hex digits.",
    code: 'SUBJECT_DIGEST_INVALID',
  },
  {
    id: 'checksums-bad-line',
    area: 'values',
    title: 'My checksums file has a line that is not a checksum',
    mode: 'attest',
    inputs: { 'subject-checksums': 'SHA256SUMS' },
    files: { SHA256SUMS: `${'a'.repeat(64)}  app.bin\nChecksums for release v1.2.0\n` },
    exit: 1,
    kind: 'input',
    message:
      /^subject-checksums file "SHA256SUMS" line 2 "Checksums for release v1\.2\.0" is not a checksum line; expected .*\[CHECKSUMS_INVALID\]$/,
    example:
      'subject-checksums file "SHA256SUMS" line 2 "Checksums for release v1.2.0" is not a checksum line; expected "<hex>  <name>", "<hex> *<name>" or "SHA256 (<name>) = <hex>" with 64, 96 or 128 hex digits. Generate the file with `sha256sum` (or `shasum -a 256`) and list one artifact per line. [CHECKSUMS_INVALID]',
    cause:
      "Every non-empty line of a checksums file must be one artifact's digest and name; headers, comments from other tools or a GPG signature block are not.",
    fix: 'Generate the file with sha256sum (or shasum -a 256); sign it separately rather than clearsigning it.',
    code: 'CHECKSUMS_INVALID',
  },
  {
    id: 'max-age-words',
    area: 'values',
    title: 'I wrote max-age in words',
    mode: 'verify',
    inputs: { ...GATE, 'max-age': '30 days' },
    exit: 1,
    kind: 'input',
    message: /^max-age: "30 days" is not a positive duration\. Write a whole number with a unit: .*\[INPUT_INVALID\]$/,
    example:
      'max-age: "30 days" is not a positive duration. Write a whole number with a unit: 30d, 12h, 90m, 3600s, or plain seconds (3600) [INPUT_INVALID]',
    cause: 'max-age is a number with a one-letter unit (d, h, m, s), or plain seconds.',
    fix: 'Write 30d.',
    code: 'INPUT_INVALID',
  },
  {
    id: 'source-ref-short',
    area: 'values',
    title: 'I wrote source-ref as a tag name, not a ref',
    mode: 'verify',
    inputs: { ...GATE, 'source-ref': 'v1.2.0' },
    exit: 1,
    kind: 'input',
    message: /^source-ref: "v1\.2\.0" is not a git ref or ref glob: it .*\. Write a full ref, .*\[INPUT_INVALID\]$/,
    example:
      'source-ref: "v1.2.0" is not a git ref or ref glob: it does not start with refs/. Write a full ref, e.g. refs/heads/main or refs/tags/v1.2.0, or a glob: refs/tags/v* (* stays within a segment, ** crosses) [INPUT_INVALID]',
    cause:
      'The certificate records the full ref (refs/tags/v1.2.0, refs/heads/main); a short name would be ambiguous between a branch and a tag.',
    fix: 'Write refs/tags/v1.2.0, or a glob such as refs/tags/v*.',
    code: 'INPUT_INVALID',
  },
  {
    id: 'signer-workflow-url',
    area: 'values',
    title: 'I gave signer-workflow as a github.com URL',
    mode: 'verify',
    inputs: { ...GATE, 'signer-workflow': 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml' },
    exit: 1,
    kind: 'input',
    message:
      /^signer-workflow: "https:\/\/github\.com\/octo-org\/octo-repo\/\.github\/workflows\/release\.yml" is not OWNER\/REPO\/PATH .*\. Write e\.g\. octo-org\/octo-repo\/\.github\/workflows\/release\.yml.*\[INPUT_INVALID\]$/,
    example:
      'signer-workflow: "https://github.com/octo-org/octo-repo/.github/workflows/release.yml" is not OWNER/REPO/PATH or OWNER/REPO/PATH@REF naming a workflow file (REF: refs/... or a 40-hex commit SHA). Write e.g. octo-org/octo-repo/.github/workflows/release.yml, or ...release.yml@refs/tags/v1.2.0 to pin the ref [INPUT_INVALID]',
    cause:
      "signer-workflow is written as GitHub writes job_workflow_ref: OWNER/REPO/PATH, without the https://github.com/ prefix the certificate's SAN has.",
    fix: 'Drop the https://github.com/ prefix (or use certificate-identity for the full SAN).',
    code: 'INPUT_INVALID',
  },
  {
    id: 'signer-workflow-path-only',
    area: 'values',
    title: 'I gave signer-workflow as a path without the repository',
    mode: 'verify',
    inputs: { ...GATE, 'signer-workflow': '.github/workflows/release.yml' },
    exit: 1,
    kind: 'input',
    message: /^signer-workflow: "\.github\/workflows\/release\.yml" is not OWNER\/REPO\/PATH .*\[INPUT_INVALID\]$/,
    example:
      'signer-workflow: ".github/workflows/release.yml" is not OWNER/REPO/PATH or OWNER/REPO/PATH@REF naming a workflow file (REF: refs/... or a 40-hex commit SHA). Write e.g. octo-org/octo-repo/.github/workflows/release.yml, or ...release.yml@refs/tags/v1.2.0 to pin the ref [INPUT_INVALID]',
    cause: 'A workflow path alone would match the same file in any repository.',
    fix: 'Prefix the path with OWNER/REPO/.',
    code: 'INPUT_INVALID',
  },
  {
    id: 'require-chain-syntax',
    area: 'values',
    title: 'I wrote a require-chain rule without a value',
    mode: 'verify',
    inputs: { ...GATE, 'require-chain': 'provenance\nsbom signer-workflow' },
    exit: 1,
    kind: 'input',
    message:
      /^require-chain, stage 2: "signer-workflow" is not rule=value\. Write one stage per line: .*\[INPUT_INVALID\]$/,
    example:
      'require-chain, stage 2: "signer-workflow" is not rule=value. Write one stage per line: a stage (provenance, sbom, vulns, vex, policy, approval, deployment) or a predicate type URI, then rule=value pairs, e.g. "vulns signer-workflow=OWNER/REPO/.github/workflows/scan.yml" [INPUT_INVALID]',
    cause:
      'Each require-chain line is a stage followed by rule=value pairs; a rule without = and a value is not understood.',
    fix: 'Write e.g. "sbom signer-workflow=octo-org/octo-repo/.github/workflows/sbom.yml", one stage per line.',
    code: 'INPUT_INVALID',
  },

  // ── files and paths ─────────────────────────────────────────────────────────────────────
  {
    id: 'subject-missing',
    area: 'files',
    title: 'The file I attest does not exist (yet)',
    mode: 'attest',
    inputs: { 'subject-path': 'dist/app.tar.gz' },
    exit: 1,
    kind: 'input',
    message:
      /^subject-path pattern "dist\/app\.tar\.gz" matched no file; expected at least one regular file in the workspace\. Check .*\[SUBJECT_NOT_FOUND\]$/,
    example:
      'subject-path pattern "dist/app.tar.gz" matched no file; expected at least one regular file in the workspace. Check the path is relative to the workspace and that the step building the artifact ran first. [SUBJECT_NOT_FOUND]',
    cause:
      'The path is resolved against the workspace; the build ran in another job (files do not carry over between jobs), in another directory, or wrote another name.',
    fix: 'Run the build step first in the same job (or download its artifact), and give the path relative to the workspace.',
    code: 'SUBJECT_NOT_FOUND',
  },
  {
    id: 'glob-empty',
    area: 'files',
    title: 'My glob matches nothing',
    mode: 'attest',
    inputs: { 'subject-path': 'dist/*.zip' },
    files: { 'dist/app.tar.gz': 'tarball' },
    exit: 1,
    kind: 'input',
    message: /^subject-path pattern "dist\/\*\.zip" matched no file; .*\[SUBJECT_NOT_FOUND\]$/,
    example:
      'subject-path pattern "dist/*.zip" matched no file; expected at least one regular file in the workspace. Check the path is relative to the workspace and that the step building the artifact ran first. [SUBJECT_NOT_FOUND]',
    cause:
      'Every pattern must match at least one file, so a renamed or missing artifact cannot silently go unattested.',
    fix: 'Fix the pattern (ls the directory in a step before), or drop the pattern if that artifact is no longer built.',
    code: 'SUBJECT_NOT_FOUND',
  },
  {
    id: 'bundle-path-nothing',
    area: 'files',
    title: 'verify mode finds no bundle at bundle-path',
    mode: 'verify',
    inputs: { ...GATE, 'bundle-path': 'dist/*.sigstore.json' },
    exit: 1,
    kind: 'input',
    message:
      /^bundle-path pattern "dist\/\*\.sigstore\.json" matched no file; .*attest mode writes them under RUNNER_TEMP.*\[BUNDLE_NOT_FOUND\]$/,
    example:
      'bundle-path pattern "dist/*.sigstore.json" matched no file; expected at least one regular file in the workspace. Check the path is relative to the workspace and that the bundles are there: attest mode writes them under RUNNER_TEMP unless its bundle-path is set (pass its bundle-path output), or download them first. [BUNDLE_NOT_FOUND]',
    cause:
      "The bundles were written somewhere else (attest mode's default is under RUNNER_TEMP, not the workspace), or not downloaded into this job.",
    fix: "Pass the attest step's bundle-path output, or download the release assets or workflow artifact holding the bundles first (or use release/artifact to read them directly).",
    code: 'BUNDLE_NOT_FOUND',
  },
  {
    id: 'directory-as-file',
    area: 'files',
    title: 'I named a directory where a file is expected',
    mode: 'attest',
    inputs: { 'subject-path': 'x.bin', 'predicate-type': 'https://example.com/test/v1', 'predicate-path': 'reports' },
    files: { reports: { dir: true } },
    exit: 1,
    kind: 'input',
    message: /^predicate-path: "reports" is a directory; expected a JSON file\. .*\[SUBJECT_NOT_REGULAR\]$/,
    example:
      'predicate-path: "reports" is a directory; expected a JSON file. Name the file itself, e.g. reports/sbom.json [SUBJECT_NOT_REGULAR]',
    cause:
      'predicate-path, subject-checksums, policy, key and trusted-root each name one file, unlike subject-path which also takes directories.',
    fix: 'Name the file inside the directory.',
    code: 'SUBJECT_NOT_REGULAR',
  },
  {
    id: 'path-outside-workspace',
    area: 'files',
    title: 'I attest a file outside the workspace',
    mode: 'attest',
    inputs: { 'subject-path': '../../etc/passwd' },
    exit: 1,
    kind: 'input',
    message:
      /^subject-path "\.\.\/\.\.\/etc\/passwd" resolves to ".*\/etc\/passwd", outside the workspace ".*"; expected a path inside it\. Copy the artifact .*\[PATH_OUTSIDE_WORKSPACE\]$/,
    example:
      'subject-path "../../etc/passwd" resolves to "/home/runner/work/etc/passwd", outside the workspace "/home/runner/work/app/app"; expected a path inside it. Copy the artifact into the workspace and name it by a relative path. [PATH_OUTSIDE_WORKSPACE]',
    cause:
      'The action reads and writes only inside the workspace (and writes to RUNNER_TEMP), so an input cannot make it read other files of the runner.',
    fix: 'Build or copy the artifact into the workspace and name it relative to it.',
    code: 'PATH_OUTSIDE_WORKSPACE',
  },
  {
    id: 'symlink-escape',
    area: 'files',
    title: 'A symlink in my artifacts points outside the workspace',
    mode: 'attest',
    inputs: { 'subject-path': 'dist/*' },
    files: { 'dist/app.bin': 'app', 'dist/passwd': { symlink: '/etc/passwd' } },
    exit: 1,
    kind: 'input',
    message:
      /^subject-path pattern "dist\/\*" matched the symlink "dist\/passwd", whose target "\/etc\/passwd" is outside the workspace ".*"; expected a target inside it\. .*\[PATH_OUTSIDE_WORKSPACE\]$/,
    example:
      'subject-path pattern "dist/*" matched the symlink "dist/passwd", whose target "/etc/passwd" is outside the workspace "/home/runner/work/app/app"; expected a target inside it. Replace the symlink with the file itself, or remove it from the pattern with a `!` exclude. [PATH_OUTSIDE_WORKSPACE]',
    cause:
      'Symlinks are followed and their targets checked: a link to a file outside the workspace is refused like the path itself would be.',
    fix: 'Copy the file instead of linking it, or exclude the link with "!dist/passwd".',
    code: 'PATH_OUTSIDE_WORKSPACE',
  },
  {
    id: 'dangling-symlink',
    area: 'files',
    title: 'bundle-path (or report-path, vsa-path) is a symlink to a file that does not exist yet',
    mode: 'attest',
    inputs: { 'subject-path': 'x.bin', 'bundle-path': 'provenance.jsonl' },
    files: { 'provenance.jsonl': { symlink: '/nonexistent-provenance-target/provenance.jsonl' } },
    exit: 1,
    kind: 'input',
    message:
      /^bundle-path: "provenance\.jsonl" leads through the dangling symlink .*provenance\.jsonl \(to \/nonexistent-provenance-target\/provenance\.jsonl, which does not exist\), so where a write would land cannot be checked; expected an existing file or a path without dangling symlinks\. Remove the dangling symlink .*\[PATH_OUTSIDE_WORKSPACE\]$/,
    example:
      'bundle-path: "provenance.jsonl" leads through the dangling symlink /home/runner/work/app/app/provenance.jsonl (to /nonexistent-provenance-target/provenance.jsonl, which does not exist), so where a write would land cannot be checked; expected an existing file or a path without dangling symlinks. Remove the dangling symlink or create its target inside the workspace first. [PATH_OUTSIDE_WORKSPACE]',
    cause:
      'A symlink whose target does not exist yet can be pointed anywhere by whoever creates the target later (an earlier step, another job on a self-hosted runner), so the workspace check cannot vouch for it and refuses it.',
    fix: 'Delete the link (the action writes a regular file), or create its target inside the workspace before the step.',
    code: 'PATH_OUTSIDE_WORKSPACE',
  },
  {
    id: 'fifo',
    area: 'files',
    title: 'I named a FIFO (named pipe) as an artifact',
    mode: 'attest',
    inputs: { 'subject-path': 'build.pipe' },
    files: { 'build.pipe': { fifo: true } },
    exit: 1,
    kind: 'input',
    message:
      /^subject-path pattern "build\.pipe" matched "build\.pipe", which is not a regular file \(a FIFO, socket or device\); expected a file\. .*\[SUBJECT_NOT_REGULAR\]$/,
    example:
      'subject-path pattern "build.pipe" matched "build.pipe", which is not a regular file (a FIFO, socket or device); expected a file. Point subject-path at regular files only. [SUBJECT_NOT_REGULAR]',
    cause:
      'Only regular files are artifacts: reading a FIFO would block on whatever writes to it, and its content is not a file anyone can download and check.',
    fix: 'Name the file the pipe feeds, after it is written.',
    code: 'SUBJECT_NOT_REGULAR',
  },
  {
    id: 'device-symlink',
    area: 'files',
    title: 'A symlink to /dev/null is among my artifacts',
    mode: 'attest',
    inputs: { 'subject-path': 'null.bin' },
    files: { 'null.bin': { symlink: '/dev/null' } },
    exit: 1,
    kind: 'input',
    message:
      /^subject-path pattern "null\.bin" matched the symlink "null\.bin", whose target "\/dev\/null" is outside the workspace ".*"; expected a target inside it\. .*\[PATH_OUTSIDE_WORKSPACE\]$/,
    example:
      'subject-path pattern "null.bin" matched the symlink "null.bin", whose target "/dev/null" is outside the workspace "/home/runner/work/app/app"; expected a target inside it. Replace the symlink with the file itself, or remove it from the pattern with a `!` exclude. [PATH_OUTSIDE_WORKSPACE]',
    cause:
      'Some builds link outputs they discard to /dev/null, and a glob or a list can still name them; the target is outside the workspace (and a device, not a file).',
    fix: 'Fix the build step so it writes the artifact, or exclude the link.',
    code: 'PATH_OUTSIDE_WORKSPACE',
  },
  {
    id: 'predicate-oversize',
    area: 'files',
    title: 'My predicate file is larger than 16 MiB',
    mode: 'attest',
    inputs: { 'subject-path': 'x.bin', 'predicate-type': 'https://example.com/test/v1', 'predicate-path': 'huge.json' },
    files: { 'huge.json': { bytes: BIG } },
    exit: 1,
    kind: 'input',
    message:
      /^predicate-path: "huge\.json" is 16777217 bytes, more than 16777216\. Attest a smaller document, .*\[PREDICATE_INVALID\]$/,
    example:
      'predicate-path: "huge.json" is 16777217 bytes, more than 16777216. Attest a smaller document, or attest its digest as a subject [PREDICATE_INVALID]',
    cause:
      "A predicate travels inside the signed statement, which transparency logs and the attestations API limit in size (16 MiB here, as GitHub's attest action).",
    fix: 'Attest the large document as a subject (its digest), or trim it (e.g. an SBOM without file-level entries).',
    code: 'PREDICATE_INVALID',
  },
  {
    id: 'predicate-not-json',
    area: 'files',
    title: 'My predicate file is not JSON',
    mode: 'attest',
    inputs: {
      'subject-path': 'x.bin',
      'predicate-type': 'https://example.com/test/v1',
      'predicate-path': 'result.txt',
    },
    files: { 'result.txt': 'PASS: 118 tests\n' },
    exit: 1,
    kind: 'input',
    message: /^predicate-path "result\.txt" is not valid JSON: .*\. Fix the JSON .*\[PREDICATE_INVALID\]$/,
    example:
      'predicate-path "result.txt" is not valid JSON: Unexpected token \'P\', "PASS: 118 tests " is not valid JSON. Fix the JSON (a predicate is a JSON object) [PREDICATE_INVALID]',
    cause: 'A predicate is a JSON object; tool output in text form cannot be signed as one.',
    fix: 'Ask the tool for JSON output (e.g. --format json), or wrap the result in an object.',
    code: 'PREDICATE_INVALID',
  },
  {
    id: 'links-other-subjects',
    area: 'files',
    title: 'I linked a bundle about other artifacts',
    mode: 'attest',
    inputs: { 'subject-path': 'x.bin', stage: 'sbom', 'predicate-path': 'sbom.json', links: 'app.bin.sigstore.json' },
    files: { 'sbom.json': '{"spdxVersion":"SPDX-2.3","name":"x"}' },
    exit: 1,
    kind: 'input',
    message:
      /^links: app\.bin\.sigstore\.json attests none of this step's subjects\. Name the bundle files .*\[LINK_INVALID\]$/,
    example:
      "links: app.bin.sigstore.json attests none of this step's subjects. Name the bundle files of the earlier stage for these same artifacts (the bundle-path output of its attest step) [LINK_INVALID]",
    cause:
      'A link says "this attestation builds on that one for the same artifact"; a bundle about other files cannot be the stage before.',
    fix: 'Link the bundle the earlier stage wrote for these subjects (its bundle-path output), or use links: published.',
    code: 'LINK_INVALID',
  },
  {
    id: 'links-nothing',
    area: 'files',
    title: 'links names no bundle file',
    mode: 'attest',
    inputs: { 'subject-path': 'x.bin', stage: 'sbom', 'predicate-path': 'sbom.json', links: 'build/*.sigstore.json' },
    files: { 'sbom.json': '{"spdxVersion":"SPDX-2.3","name":"x"}' },
    exit: 1,
    kind: 'input',
    message:
      /^links pattern "build\/\*\.sigstore\.json" matched no file; .*Name the bundle files of the earlier stage.*\[LINK_INVALID\]$/,
    example:
      'links pattern "build/*.sigstore.json" matched no file; expected at least one regular file in the workspace. Name the bundle files of the earlier stage, in the workspace (the bundle-path output of its attest step). [LINK_INVALID]',
    cause:
      "The earlier stage wrote its bundle elsewhere (attest mode's default is under RUNNER_TEMP), or it was not downloaded into this job.",
    fix: "Pass the earlier attest step's bundle-path output to links, or use links: published.",
    code: 'LINK_INVALID',
  },
  {
    id: 'links-published-nothing',
    area: 'files',
    title: 'links: published found nothing published',
    mode: 'attest',
    inputs: {
      'subject-path': 'x.bin',
      stage: 'sbom',
      'predicate-path': 'sbom.json',
      links: 'published',
      'github-token': '{token}',
    },
    files: { 'sbom.json': '{"spdxVersion":"SPDX-2.3","name":"x"}' },
    env: { GITHUB_API_URL: '{github}' },
    exit: 1,
    kind: 'input',
    message:
      /^links: published: no attestation of x\.bin is published in octo-org\/octo-repo's attestations API\. Run the earlier stage first .*\[LINK_INVALID\]$/,
    example:
      "links: published: no attestation of x.bin is published in octo-org/octo-repo's attestations API. Run the earlier stage first and publish its bundle (attestations-api, push-to-registry or upload-to-release), or name its bundle file in links [LINK_INVALID]",
    cause:
      'links: published reads the attestations already published for these subjects; the earlier stage did not publish (or published another artifact, or to another repository).',
    fix: 'Give the earlier stage attestations-api: true (or upload-to-release / push-to-registry) and run it first, or name its bundle file in links.',
    code: 'LINK_INVALID',
  },

  // ── policy files ────────────────────────────────────────────────────────────────────────
  {
    id: 'policy-unknown-rule',
    area: 'policy',
    title: 'My policy file has a rule the action does not know',
    mode: 'verify',
    inputs: { ...GATE, policy: 'policy.yml' },
    files: {
      'policy.yml':
        'repository: octo-org/octo-repo\nsigner-workflows: octo-org/octo-repo/.github/workflows/release.yml\n',
    },
    exit: 1,
    kind: 'input',
    message:
      /^policy: unknown rule "signer-workflows" \(policy file policy\.yml, line 2\)\. Policy files take the rule inputs' names: .*\[INPUT_INVALID\]$/,
    example:
      'policy: unknown rule "signer-workflows" (policy file policy.yml, line 2). Policy files take the rule inputs\' names: certificate-oidc-issuer, repository, owner, signer-workflow, signer-repository, source-ref, source-digest, builder-id, predicate-type, deny-self-hosted-runners, max-age, certificate-identity, certificate-identity-regexp, require-chain [INPUT_INVALID]',
    cause: 'An unknown rule is refused rather than ignored, so a typo cannot silently weaken the policy.',
    fix: 'Use the input names listed (lists are written as YAML lists under the singular name).',
    code: 'INPUT_INVALID',
  },
  {
    id: 'policy-bad-yaml',
    area: 'policy',
    title: 'My policy file uses YAML the action does not read',
    mode: 'verify',
    inputs: { ...GATE, policy: 'policy.yml' },
    files: { 'policy.yml': 'repository: &repo octo-org/octo-repo\n' },
    exit: 1,
    kind: 'input',
    message:
      /^policy: policy\.yml line 1: an anchor \(&repo\): write each value where it is used\. Write one "name: value" per rule .*\[INPUT_INVALID\]$/,
    example:
      'policy: policy.yml line 1: an anchor (&repo): write each value where it is used. Write one "name: value" per rule (a list as "- value" lines under "name:"), without anchors, aliases or tags, quoting values YAML could read otherwise; or use a JSON file [INPUT_INVALID]',
    cause:
      'Policy files are read as YAML, strictly, so that what a reviewer sees is what is enforced: anchors and aliases, tags, duplicate rules, nested mappings and the YAML 1.1 booleans (yes, no, on, off) are refused.',
    fix: 'Write each rule as name: value (or a list of values) where it applies, quote values YAML could read as something else, or write the policy as JSON.',
    code: 'INPUT_INVALID',
  },
  {
    id: 'cel-unknown-variable',
    area: 'policy',
    title: 'My CEL content policy names a variable that does not exist',
    mode: 'verify',
    inputs: {
      ...GATE,
      cel: "predicat.buildDefinition.buildType == 'https://actions.github.io/buildtypes/workflow/v1'",
    },
    exit: 1,
    kind: 'input',
    message:
      /^cel: column 1: unknown variable "predicat" \(known: predicate, predicateType, subject, certificate, stages\)\. .*\[CEL_INVALID\]$/,
    example:
      'cel: column 1: unknown variable "predicat" (known: predicate, predicateType, subject, certificate, stages). Write a CEL expression over predicate, predicateType, subject, certificate and stages (see docs/cel.md) [CEL_INVALID]',
    cause:
      'Every expression is compiled when the inputs are read, before any bundle is: a syntax error, an unknown variable or function fails the step with its column, so a typo can never pass (or fail) artifacts by accident.',
    fix: 'Use the variables docs/cel.md lists (predicate, predicateType, subject, certificate, stages.NAME for earlier chain stages).',
    code: 'CEL_INVALID',
  },
  {
    id: 'policy-json-array',
    area: 'policy',
    title: 'My JSON policy is a list, not an object',
    mode: 'verify',
    inputs: { ...GATE, policy: 'policy.json' },
    files: { 'policy.json': '[{"repository": "octo-org/octo-repo"}]' },
    exit: 1,
    kind: 'input',
    message: /^policy: policy\.json is not a JSON object\. Write an object of rules, .*\[INPUT_INVALID\]$/,
    example:
      'policy: policy.json is not a JSON object. Write an object of rules, e.g. {"repository": "octo-org/octo-repo"} [INPUT_INVALID]',
    cause: 'A policy is one set of rules, each by name.',
    fix: 'Write one object: {"repository": "...", "signer-workflow": ["..."]}.',
    code: 'INPUT_INVALID',
  },
  {
    id: 'policy-conflicts-input',
    area: 'policy',
    title: "My policy file and the step's inputs disagree",
    mode: 'verify',
    inputs: { ...GATE, policy: 'policy.yml' },
    files: { 'policy.yml': 'repository: octo-org/other-repo\n' },
    exit: 1,
    kind: 'input',
    message:
      /^repository is "octo-org\/other-repo" in the policy file policy\.yml, line 1 but "octo-org\/octo-repo" as the repository input\. Give repository in one place only, or the same value in both \[INPUT_CONFLICT\]$/,
    example:
      'repository is "octo-org/other-repo" in the policy file policy.yml, line 1 but "octo-org/octo-repo" as the repository input. Give repository in one place only, or the same value in both [INPUT_CONFLICT]',
    cause: 'A rule given in both places must say the same thing; neither silently overrides the other.',
    fix: 'Keep the rule in the policy file and remove the input (or the other way round).',
    code: 'INPUT_CONFLICT',
  },

  // ── permissions and identity ────────────────────────────────────────────────────────────
  {
    id: 'no-id-token-permission',
    area: 'identity',
    title: 'My job has no id-token: write permission',
    mode: 'attest',
    inputs: { 'subject-path': 'x.bin' },
    env: { ACTIONS_ID_TOKEN_REQUEST_URL: null, ACTIONS_ID_TOKEN_REQUEST_TOKEN: null },
    exit: 1,
    kind: 'input',
    message:
      /^cannot sign: this job has no id-token permission \(ACTIONS_ID_TOKEN_REQUEST_URL is not set\)\. Grant the job "permissions: id-token: write" .*\[OIDC_UNAVAILABLE\]$/,
    example:
      'cannot sign: this job has no id-token permission (ACTIONS_ID_TOKEN_REQUEST_URL is not set). Grant the job "permissions: id-token: write" (and keep "contents: read"); outside GitHub Actions, set SIGSTORE_ID_TOKEN to an OIDC token with audience "sigstore" [OIDC_UNAVAILABLE]',
    cause:
      "Keyless signing proves the job's identity with its OIDC token, which GitHub hands out only to jobs granted id-token: write.",
    fix: 'Add "permissions: { id-token: write, contents: read }" (plus attestations: write to use the attestations API) to the job.',
    code: 'OIDC_UNAVAILABLE',
  },
  {
    id: 'attestations-permission',
    area: 'identity',
    title: 'My job may not write attestations',
    mode: 'attest',
    inputs: { 'subject-path': 'x.bin', 'attestations-api': 'true', 'github-token': '{token}' },
    env: { GITHUB_API_URL: '{github}' },
    githubFaults: { 'post-attestation': [{ status: 403, message: 'Resource not accessible by integration' }] },
    exit: 1,
    kind: 'input',
    message:
      /^GitHub API refused POST \S+\/repos\/octo-org\/octo-repo\/attestations: HTTP 403 "Resource not accessible by integration"\. Grant the job "permissions: attestations: write"; .*\[ATTESTATIONS_UNAVAILABLE\]$/,
    example:
      'GitHub API refused POST https://api.github.com/repos/octo-org/octo-repo/attestations: HTTP 403 "Resource not accessible by integration". Grant the job "permissions: attestations: write"; a private repository also needs a plan with artifact attestations (GitHub Enterprise Cloud) [ATTESTATIONS_UNAVAILABLE]',
    cause:
      "The job's token has only the permissions the workflow grants; storing attestations needs attestations: write (reading releases or uploading assets needs contents).",
    fix: 'Add "attestations: write" (and keep "id-token: write", "contents: read") to the job\'s permissions. For a private repository on a plan without artifact attestations, use attestations-api: auto (skips the API there) and publish to a release or registry.',
    code: 'ATTESTATIONS_UNAVAILABLE',
  },
  {
    id: 'pull-request-event',
    area: 'identity',
    title: 'I attest provenance in a pull_request workflow',
    mode: 'attest',
    inputs: { 'subject-path': 'x.bin' },
    claims: { event_name: 'pull_request', ref: 'refs/pull/7/merge', ref_type: '' },
    exit: 1,
    kind: 'input',
    message:
      /^SLSA provenance is not made for "pull_request" events: build type .* describes only push, release, create, workflow_dispatch\. Attest in a workflow triggered by .*\[EVENT_UNSUPPORTED\]$/,
    example:
      'SLSA provenance is not made for "pull_request" events: build type https://actions.github.io/buildtypes/workflow/v1 describes only push, release, create, workflow_dispatch. Attest in a workflow triggered by push, release, create or workflow_dispatch (e.g. "on: push: tags"), or set predicate-type to attest something other than provenance [EVENT_UNSUPPORTED]',
    cause:
      'A pull request\'s merge ref is not a release, and its code is not yet reviewed; provenance for it would say "built by the release workflow" about untrusted code.',
    fix: 'Attest in the workflow that builds releases (on push of tags, release, workflow_dispatch). In pull requests, run verify mode, or attest a document of your own with predicate-type.',
    code: 'EVENT_UNSUPPORTED',
  },
  {
    id: 'token-wrong-audience',
    area: 'identity',
    title: 'I passed SIGSTORE_ID_TOKEN requested for another audience',
    mode: 'cli',
    argv: ['attest', '--subject-path', 'x.bin', '--sigstore', 'signing.json'],
    idToken: { audience: 'https://github.com/octo-org' },
    env: { PROVENANCE_TEST_OIDC_ISSUER: '{issuer}' },
    exit: 1,
    kind: 'input',
    message:
      /^the OIDC token from \S+ is for audience "https:\/\/github\.com\/octo-org"; expected "sigstore"\. Request the token for audience "sigstore" .*\[OIDC_CLAIMS_INVALID\]$/,
    example:
      'the OIDC token from https://token.actions.githubusercontent.com is for audience "https://github.com/octo-org"; expected "sigstore". Request the token for audience "sigstore" (e.g. core.getIDToken(\'sigstore\'), or "&audience=sigstore" on ACTIONS_ID_TOKEN_REQUEST_URL) before passing it as SIGSTORE_ID_TOKEN [OIDC_CLAIMS_INVALID]',
    cause:
      'Sigstore accepts only tokens minted for audience "sigstore". A job token requested without an audience is for the repository owner\'s URL (GitHub\'s default), and one minted for a cloud provider is for that provider.',
    fix: 'Request the token with audience sigstore (in GitHub Actions, let the action request it: drop SIGSTORE_ID_TOKEN).',
    code: 'OIDC_CLAIMS_INVALID',
  },
  {
    id: 'provenance-without-github-identity',
    area: 'identity',
    title: 'I attest SLSA provenance with a token from another CI system',
    mode: 'cli',
    argv: ['attest', '--subject-path', 'x.bin', '--sigstore', 'signing.json'],
    idToken: { audience: 'sigstore' },
    exit: 1,
    kind: 'input',
    message: /^SLSA provenance needs a GitHub Actions identity.*\[OIDC_TOKEN_INVALID\]$/,
    example:
      'SLSA provenance needs a GitHub Actions identity, but the OIDC token was issued by https://gitlab.com. Run the step in GitHub Actions, or set predicate-type to attest a predicate of your own with this identity [OIDC_TOKEN_INVALID]',
    cause:
      "The provenance predicate describes a GitHub Actions run (workflow, ref, run id) and takes every field from the job's verified token; another issuer's token cannot vouch for those.",
    fix: 'Attest a custom predicate (predicate-type plus predicate-path) on other CI systems, or attest in GitHub Actions.',
    code: 'OIDC_TOKEN_INVALID',
  },
  {
    id: 'cli-no-token',
    area: 'identity',
    title: 'I ran provenance attest on my laptop without an ID token',
    mode: 'cli',
    argv: ['attest', '--subject-path', 'x.bin', '--sigstore', 'signing.json'],
    exit: 1,
    kind: 'input',
    message:
      /^cannot sign: no OIDC token is available \(ACTIONS_ID_TOKEN_REQUEST_URL is not set\)\. .*set SIGSTORE_ID_TOKEN to an OIDC token with audience "sigstore" \[OIDC_UNAVAILABLE\]$/,
    example:
      'cannot sign: no OIDC token is available (ACTIONS_ID_TOKEN_REQUEST_URL is not set). Grant the job "permissions: id-token: write" (and keep "contents: read"); outside GitHub Actions, set SIGSTORE_ID_TOKEN to an OIDC token with audience "sigstore" [OIDC_UNAVAILABLE]',
    cause:
      'Outside GitHub Actions the CLI signs with the token in SIGSTORE_ID_TOKEN; there is no interactive browser login.',
    fix: "Export SIGSTORE_ID_TOKEN from your CI system's OIDC support, with audience sigstore.",
    code: 'OIDC_UNAVAILABLE',
  },

  // ── trusted roots ───────────────────────────────────────────────────────────────────────
  {
    id: 'trusted-root-not-json',
    area: 'trust',
    title: 'My trusted-root file is not JSON',
    mode: 'verify',
    inputs: { ...GATE, 'trusted-root': 'root.json' },
    files: { 'root.json': '<html>Not Found</html>\n' },
    exit: 1,
    kind: 'input',
    message:
      /^trusted-root: root\.json is not a usable trusted root: expected a trusted root JSON document, found invalid JSON \(.*\) in \S+root\.json line 1\. Use the trusted_root\.json .*\[TRUSTED_ROOT_UNAVAILABLE\]$/,
    example:
      'trusted-root: root.json is not a usable trusted root: expected a trusted root JSON document, found invalid JSON (Unexpected token \'<\', "<html>Not "... is not valid JSON) in /home/runner/work/app/app/root.json line 1. Use the trusted_root.json your Sigstore instance publishes, unedited (every key and certificate in it must say since when it is trusted), or public-good, public-good-offline, github or auto [TRUSTED_ROOT_UNAVAILABLE]',
    cause: 'The file is not a trusted root: often an HTML error page saved by a download that failed.',
    fix: "Download the trusted root again (e.g. from the instance's TUF repository with `sigstore trustedroot`), or use public-good / public-good-offline / github.",
    code: 'TRUSTED_ROOT_UNAVAILABLE',
  },
  {
    id: 'trusted-root-tlog-no-start',
    area: 'trust',
    title: 'My trusted root has a log key without validFor.start',
    mode: 'verify',
    inputs: { ...GATE, 'trusted-root': 'edited_root.json' },
    files: { 'edited_root.json': { trustedRootWithout: 'tlogs.0.publicKey.validFor.start' } },
    exit: 1,
    kind: 'input',
    message:
      /^trusted-root: edited_root\.json is not a usable trusted root: expected tlogs\[0\]\.publicKey\.validFor\.start: the time from which it is trusted, found none in \S+edited_root\.json\. Use .*\[TRUSTED_ROOT_UNAVAILABLE\]$/,
    example:
      'trusted-root: edited_root.json is not a usable trusted root: expected tlogs[0].publicKey.validFor.start: the time from which it is trusted, found none in /home/runner/work/app/app/edited_root.json. Use the trusted_root.json your Sigstore instance publishes, unedited (every key and certificate in it must say since when it is trusted), or public-good, public-good-offline, github or auto [TRUSTED_ROOT_UNAVAILABLE]',
    cause:
      'Without a start, a key would be trusted for signatures made at any time, including before the key was meant to be used; hand-edited roots often lose it.',
    fix: 'Use the trusted root exactly as the instance publishes it, or add the start time back.',
    code: 'TRUSTED_ROOT_UNAVAILABLE',
  },
  {
    id: 'wrong-trusted-root',
    area: 'trust',
    title: 'I verify with the trusted root of another Sigstore instance',
    mode: 'verify',
    inputs: { ...GATE, 'trusted-root': 'public-good-offline' },
    exit: 1,
    kind: 'verification',
    leaves: 'report',
    message:
      /^provenance verification failed for 1 of 1 artifact\(s\): app\.bin \(certificate-chain: .*\)\. To fix: check trusted-root names the instance that signed it.*otherwise the bundle is forged \[VERIFICATION_FAILED\]$/,
    example:
      'provenance verification failed for 1 of 1 artifact(s): app.bin (certificate-chain: expected a signing certificate issued by a trusted certificate authority and valid at the signing time, found Failed to verify certificate chain: no valid certificate path found). To fix: check trusted-root names the instance that signed it (github for private repositories, public-good for public ones, or auto); otherwise the bundle is forged [VERIFICATION_FAILED]',
    cause:
      "Bundles of private repositories are signed by GitHub's Sigstore instance, public ones by public-good; a self-hosted instance has its own root. The certificate only chains to its own instance's authority.",
    fix: "Use trusted-root: auto (public-good and GitHub), github, or your instance's trusted_root.json.",
    code: 'VERIFICATION_FAILED',
  },

  // ── verification results ────────────────────────────────────────────────────────────────
  {
    id: 'expired-certificate',
    area: 'verification',
    title: 'The bundle was signed after its certificate had expired',
    mode: 'verify',
    inputs: { ...GATE, 'subject-path': 'old.bin', 'bundle-path': 'old.sigstore.json', 'trusted-root': 'old_root.json' },
    exit: 1,
    kind: 'verification',
    leaves: 'report',
    message:
      /^provenance verification failed for 1 of 1 artifact\(s\): old\.bin \(certificate-chain: expected a signing certificate .* valid at the signing time, found .*expired.*\)\. To fix: .*\[VERIFICATION_FAILED\]$/,
    example:
      'provenance verification failed for 1 of 1 artifact(s): old.bin (certificate-chain: expected a signing certificate issued by a trusted certificate authority and valid at the signing time, found Failed to verify certificate chain: certificate is not valid or expired at the specified date). To fix: check trusted-root names the instance that signed it (github for private repositories, public-good for public ones, or auto); otherwise the bundle is forged [VERIFICATION_FAILED]',
    cause:
      'Sigstore certificates live 10 minutes and are checked at the time the log or timestamp authority saw the signature, not today. A certificate expired at that time means the signature was made with a key after its certificate ran out: a replayed or forged bundle, not an old one.',
    fix: 'Re-run the attest step. An old bundle of a correct signature never fails this way; use max-age to refuse old ones.',
    code: 'VERIFICATION_FAILED',
  },
  {
    id: 'wrong-signer-workflow',
    area: 'verification',
    title: 'The artifact was signed by another workflow than the one my policy names',
    mode: 'verify',
    inputs: { ...GATE, 'signer-workflow': 'octo-org/octo-repo/.github/workflows/deploy.yml' },
    exit: 1,
    kind: 'verification',
    leaves: 'report',
    message:
      /^provenance verification failed for 1 of 1 artifact\(s\): app\.bin \(signer-workflow: expected .*deploy\.yml.*, found .*release\.yml.*\)\. To fix: use the artifact built by the workflow the policy names.*name it in signer-workflow \[VERIFICATION_FAILED\]$/,
    example:
      'provenance verification failed for 1 of 1 artifact(s): app.bin (signer-workflow: expected octo-org/octo-repo/.github/workflows/deploy.yml, found https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/tags/v1.2.0). To fix: use the artifact built by the workflow the policy names; if the workflow shown is the intended one (for a reusable workflow, the called one), name it in signer-workflow [VERIFICATION_FAILED]',
    cause:
      'signer-workflow names the workflow file that ran the attest step (for reusable workflows, the called one), not the workflow that triggered it.',
    fix: 'Name the workflow shown after "found" if it is the intended one; otherwise the artifact was not built by your release workflow.',
    code: 'VERIFICATION_FAILED',
  },
  {
    id: 'artifact-changed',
    area: 'verification',
    title: 'The file changed after it was attested',
    mode: 'verify',
    inputs: { ...GATE },
    files: { 'app.bin': 'app, rebuilt after signing' },
    exit: 1,
    kind: 'verification',
    leaves: 'report',
    message:
      /^provenance verification failed for 1 of 1 artifact\(s\): app\.bin \(artifact-changed: expected a bundle whose statement lists app\.bin with sha256:([0-9a-f]{64}), found app\.bin\.sigstore\.json attests app\.bin with sha256:(?!\1)[0-9a-f]{64}\)\. To fix: deploy the attested file, or rebuild and re-attest.*\[VERIFICATION_FAILED\]$/,
    example:
      'provenance verification failed for 1 of 1 artifact(s): app.bin (artifact-changed: expected a bundle whose statement lists app.bin with sha256:040f3abed70f38bae12b9f3f73bb3cb33a3882fab9e9804cdda047258a3d566c, found app.bin.sigstore.json attests app.bin with sha256:a172cedcae47474b615c54d510a5d84a8dea3032e958587430b413538be3f333). To fix: deploy the attested file, or rebuild and re-attest (attest after the last step that changes the file) [VERIFICATION_FAILED]',
    cause:
      'Bundles attest the digest of the bytes: a rebuild (even a reproducible-looking one with new timestamps), re-compression or a re-signed binary is another artifact.',
    fix: 'Verify the exact file the release published, or attest the rebuilt one.',
    code: 'VERIFICATION_FAILED',
  },
  {
    id: 'max-age-exceeded',
    area: 'verification',
    title: 'The attestation is older than max-age',
    mode: 'verify',
    inputs: { ...GATE, 'max-age': '1s' },
    minAgeSeconds: 3,
    exit: 1,
    kind: 'verification',
    leaves: 'report',
    message:
      /^provenance verification failed for 1 of 1 artifact\(s\): app\.bin \(max-age: expected signed within 1s, found signed \S+ \((?:\d+[dhm] )*\d+s ago\)\)\. To fix: rebuild and re-attest, or relax max-age \[VERIFICATION_FAILED\]$/,
    example:
      'provenance verification failed for 1 of 1 artifact(s): app.bin (max-age: expected signed within 1s, found signed 2026-11-02T10:00:00.000Z (5s ago)). To fix: rebuild and re-attest, or relax max-age [VERIFICATION_FAILED]',
    cause: 'max-age counts from the time the log or timestamp authority saw the signature, not from the release date.',
    fix: 'Re-attest (rebuild) the artifact, or relax max-age.',
    code: 'VERIFICATION_FAILED',
  },
  {
    id: 'artifact-unattested',
    area: 'verification',
    title: 'I verify a file that was never attested',
    mode: 'verify',
    inputs: { ...GATE, 'subject-path': 'x.bin' },
    exit: 1,
    kind: 'verification',
    leaves: 'report',
    message:
      /^provenance verification failed for 1 of 1 artifact\(s\): x\.bin \(subject-digest: expected a bundle whose statement lists sha256:[0-9a-f]{64}, found none of the 1 bundle\(s\) read lists it\)\. To fix: .*\[VERIFICATION_FAILED\]$/,
    example:
      "provenance verification failed for 1 of 1 artifact(s): x.bin (subject-digest: expected a bundle whose statement lists sha256:2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881, found none of the 1 bundle(s) read lists it). To fix: attest this exact file or image (attest after the last step that changes it), and make its bundle readable where verify mode looks: bundle-path, the image's registry, release, attestations-api [VERIFICATION_FAILED]",
    cause:
      'Every artifact named must be covered by a passing bundle; a file added to the release by hand, or by a step after attest, has none.',
    fix: 'Attest every file the release ships (attest after the last step that adds files), or leave the file out of subject-path.',
    code: 'VERIFICATION_FAILED',
  },

  // ── publishing ──────────────────────────────────────────────────────────────────────────
  {
    id: 'release-missing',
    area: 'publishing',
    title: 'I upload to a release that does not exist',
    mode: 'attest',
    inputs: {
      'subject-path': 'x.bin',
      'upload-to-release': 'v9.9.9',
      'attestations-api': 'false',
      'github-token': '{token}',
    },
    env: { GITHUB_API_URL: '{github}' },
    exit: 1,
    kind: 'input',
    message:
      /^GitHub API has no published release for tag "v9\.9\.9" in octo-org\/octo-repo \(GET \S+\/repos\/octo-org\/octo-repo\/releases\/tags\/v9\.9\.9 answered HTTP 404\)\. Create the release first, .*\[RELEASE_NOT_FOUND\]$/,
    example:
      'GitHub API has no published release for tag "v9.9.9" in octo-org/octo-repo (GET https://api.github.com/repos/octo-org/octo-repo/releases/tags/v9.9.9 answered HTTP 404). Create the release first, e.g. "gh release create v9.9.9" in an earlier step (a draft is not found by tag); for a private repository also grant "permissions: contents: write" [RELEASE_NOT_FOUND]',
    cause:
      'Assets are uploaded to an existing release; the action does not create releases. Drafts are not found by tag either.',
    fix: 'Create (and publish) the release in an earlier step, or use upload-to-release: auto on a tag push.',
    code: 'RELEASE_NOT_FOUND',
  },
  {
    id: 'github-token-malformed',
    area: 'publishing',
    title: 'My github-token has a line break (or a "Bearer " prefix) in it',
    mode: 'attest',
    inputs: { 'subject-path': 'x.bin', 'github-token': 'ghs_0123456789\nabcdef' },
    exit: 1,
    kind: 'input',
    message:
      /^github-token contains a line break, which cannot be sent in an HTTP header; expected the token alone\. Pass the token itself .*\[INPUT_INVALID\]$/,
    example:
      'github-token contains a line break, which cannot be sent in an HTTP header; expected the token alone. Pass the token itself (e.g. "github-token: ${{ secrets.GITHUB_TOKEN }}"), without a "Bearer" prefix, quotes or line breaks; check the secret was stored without them [INPUT_INVALID]',
    cause:
      'A token pasted into a secret with its line break, two tokens joined, or "Bearer <token>" where the token alone belongs. It is refused when the inputs are read, before anything is signed, and never printed.',
    fix: 'Store the token alone in the secret (no quotes, prefix or line breaks), or keep the default "github-token: ${{ github.token }}".',
    code: 'INPUT_INVALID',
  },
  {
    id: 'push-to-registry-no-image',
    area: 'publishing',
    title: 'I set push-to-registry for files, not images',
    mode: 'attest',
    inputs: { 'subject-path': 'x.bin', 'push-to-registry': 'true' },
    exit: 1,
    kind: 'input',
    message: /^push-to-registry is true but no image is named: .*\[INPUT_CONFLICT\]$/,
    example:
      'push-to-registry is true but no image is named: subject-name and subject-digest give the images. Add "subject-name: ghcr.io/OWNER/IMAGE" and "subject-digest: sha256:…" (e.g. from docker/build-push-action\'s digest output) [INPUT_CONFLICT]',
    cause:
      "A registry stores attestations next to an image, addressed by the image's digest; files from subject-path have no image to attach to.",
    fix: "Name the image with subject-name and subject-digest, or drop push-to-registry and publish files' bundles to a release or the attestations API.",
    code: 'INPUT_CONFLICT',
  },

  // ── the CLI ─────────────────────────────────────────────────────────────────────────────
  {
    id: 'cli-unknown-flag',
    area: 'cli',
    title: 'I passed a flag the CLI does not have',
    mode: 'cli',
    argv: ['attest', '--subject', 'x.bin'],
    exit: 1,
    kind: 'input',
    message: /^unknown argument "--subject"\. Valid flags: --subject-path, .*\[INPUT_INVALID\]$/,
    example:
      'unknown argument "--subject". Valid flags: --subject-path, --subject-name, --subject-digest, --subject-checksums, --stage, --links, --predicate-type, --predicate, --predicate-path, --sigstore, --bundle-path, --show-summary, --push-to-registry, --upload-to-release, --release-asset-name, --replace-release-assets, --attestations-api, --upload-artifact, --github-token, --help [INPUT_INVALID]',
    cause: "Flags are the action's input names, each with two dashes.",
    fix: 'Use the flag as listed (provenance attest --help shows each with its meaning).',
    code: 'INPUT_INVALID',
  },
  {
    id: 'cli-flag-without-value',
    area: 'cli',
    title: 'I ended the command line with a flag that needs a value',
    mode: 'cli',
    argv: ['verify', '--subject-path', 'app.bin', '--bundle-path'],
    exit: 1,
    kind: 'input',
    message: /^--bundle-path needs a value\. Write --bundle-path <value> \[INPUT_INVALID\]$/,
    example: '--bundle-path needs a value. Write --bundle-path <value> [INPUT_INVALID]',
    cause: 'Usually an empty shell variable: --bundle-path $BUNDLES with BUNDLES unset.',
    fix: 'Give the value (quote variables: --bundle-path "$BUNDLES").',
    code: 'INPUT_INVALID',
  },
  {
    id: 'cli-format',
    area: 'cli',
    title: 'I asked for an output format the CLI does not have',
    mode: 'cli',
    argv: [
      'verify',
      '--subject-path',
      'app.bin',
      '--bundle-path',
      'app.bin.sigstore.json',
      '--repository',
      'octo-org/octo-repo',
      '--format',
      'sarif',
    ],
    exit: 1,
    kind: 'input',
    message:
      /^--format: "sarif" is neither text nor json\. Use --format text \(default\) or --format json \[INPUT_INVALID\]$/,
    example: '--format: "sarif" is neither text nor json. Use --format text (default) or --format json [INPUT_INVALID]',
    cause: 'verify prints a text report or the JSON report.',
    fix: 'Use --format json and convert the report if another format is needed.',
    code: 'INPUT_INVALID',
  },
];
