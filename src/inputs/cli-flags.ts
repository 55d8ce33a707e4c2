// Command-line flags for the CLI: `--name value`, `--name=value`, or a bare `--name` for a
// boolean. Flag names are the action's input names, so documentation carries over. A flag
// given twice accumulates (one value per line), as multi-line inputs do in a workflow.

import { ProvenanceError } from '../common/errors.ts';

export interface FlagSpec {
  name: string;
  boolean?: boolean;
  help: string;
}

export const ATTEST_FLAGS: readonly FlagSpec[] = [
  { name: 'subject-path', help: 'files to attest: globs, comma/newline lists, !excludes, directories' },
  { name: 'subject-name', help: 'name of a subject given by digest (one per line)' },
  { name: 'subject-digest', help: 'digest of that subject: sha256:<hex>, sha384:, sha512:' },
  { name: 'subject-checksums', help: 'a sha256sum/shasum file, or its text' },
  {
    name: 'artifact',
    help: 'hash the files of this workflow artifact of the run as the subjects (GitHub Actions only)',
  },
  {
    name: 'stage',
    help: "sbom | vulns | vex | policy | approval | deployment: build that stage's predicate from --predicate-path; source: a Source VSA for the job's commit (GitHub API)",
  },
  { name: 'deployment-target', help: 'stage deployment: where it went, an http(s) URL or a cluster name' },
  { name: 'deployment-namespace', help: 'stage deployment: the Kubernetes namespace in that cluster' },
  { name: 'links', help: 'bundle files this attestation builds on (repeat), or "published"' },
  { name: 'predicate-type', help: 'URI of a custom predicate (default: SLSA provenance v1)' },
  { name: 'predicate', help: 'custom predicate JSON' },
  { name: 'predicate-path', help: 'file holding the custom predicate JSON' },
  { name: 'sigstore', help: 'auto | public-good | github | path of a SigningConfig .json' },
  { name: 'bundle-path', help: 'directory, .json or .jsonl file for the bundles (default: current directory)' },
  { name: 'show-summary', boolean: true, help: 'print a summary to stderr (default true)' },
  {
    name: 'push-to-registry',
    boolean: true,
    help: 'attach the bundle to each image subject in its registry (OCI referrer)',
  },
  { name: 'upload-to-release', help: 'upload bundles to the release with this tag (or auto)' },
  { name: 'release-asset-name', help: 'one .jsonl asset by this name instead of one per subject' },
  { name: 'replace-release-assets', boolean: true, help: 'replace assets of the same name with other content' },
  { name: 'attestations-api', help: 'auto | true | false: store bundles with the GitHub attestations API' },
  { name: 'upload-artifact', help: 'upload the bundle file as a workflow artifact of this name (GitHub Actions only)' },
  { name: 'github-token', help: 'token for the GitHub API (default: $GITHUB_TOKEN)' },
  { name: 'help', boolean: true, help: 'show this help' },
];

export const VERIFY_FLAGS: readonly FlagSpec[] = [
  { name: 'subject-path', help: 'the artifacts to check: globs, lists, !excludes, directories' },
  { name: 'subject-name', help: 'name of an artifact given by digest' },
  { name: 'subject-digest', help: 'its digest: sha256:<hex>, sha384:, sha512:' },
  { name: 'subject-checksums', help: 'a sha256sum/shasum file, or its text' },
  { name: 'images', help: 'image references to verify (repeat); bundles are read from their registry' },
  { name: 'manifests', help: 'Kubernetes or Compose files: verify every image they reference' },
  {
    name: 'require-digest',
    boolean: true,
    help: 'refuse images not pinned by digest (@sha256:…); recommended for deploy gates',
  },
  { name: 'bundle-path', help: 'bundle files or globs (.sigstore.json, .json, .jsonl)' },
  { name: 'release', help: 'also read the assets of the release with this tag (needs --repository)' },
  { name: 'artifact', help: 'read bundle files from this workflow artifact of the run (GitHub Actions only)' },
  { name: 'attestations-api', help: "auto | true | false: read GitHub's attestations API (needs --repository)" },
  { name: 'github-token', help: 'token for the GitHub API (default: $GITHUB_TOKEN)' },
  {
    name: 'trusted-root',
    help: 'auto | public-good | public-good-offline | github | path of a trusted root JSON (or JSON Lines)',
  },
  { name: 'key', help: 'PEM public key, for bundles signed with a managed key' },
  { name: 'certificate-oidc-issuer', help: "the certificate's OIDC issuer (default GitHub Actions')" },
  { name: 'repository', help: 'source repository OWNER/REPO, exact' },
  { name: 'owner', help: 'source repository owner, exact' },
  { name: 'signer-workflow', help: 'OWNER/REPO/.github/workflows/FILE.yml[@REF], exact (repeat for alternatives)' },
  { name: 'signer-repository', help: 'repository of a reusable signer workflow' },
  { name: 'source-ref', help: 'source ref, exact or glob (refs/tags/v*) (repeat for alternatives)' },
  { name: 'source-digest', help: 'source commit SHA' },
  { name: 'builder-id', help: 'exact builder id, pinned by tag or commit SHA' },
  { name: 'predicate-type', help: 'required predicate type (default SLSA provenance v1)' },
  { name: 'deny-self-hosted-runners', boolean: true, help: 'refuse provenance built on self-hosted runners' },
  { name: 'max-age', help: 'refuse older signatures: 30d, 12h, 90m, 3600s' },
  { name: 'certificate-identity', help: 'the certificate SAN, exact' },
  { name: 'certificate-identity-regexp', help: 'an anchored regexp the whole SAN must match' },
  { name: 'cel', help: 'a CEL expression every bundle must make true (repeat; docs/cel.md)' },
  { name: 'require-chain', help: 'a stage every artifact must pass, in order (repeat): "sbom signer-workflow=…"' },
  { name: 'policy', help: 'YAML or JSON file holding these rules' },
  { name: 'report-path', help: 'write the JSON report here' },
  { name: 'vsa-path', help: 'sign a SLSA Verification Summary Attestation per passing artifact into this .jsonl' },
  { name: 'sigstore', help: 'the instance that signs them: auto | public-good | github | SigningConfig .json' },
  { name: 'format', help: 'text (default) or json: what is printed on stdout' },
  {
    name: 'show-summary',
    boolean: true,
    help: 'accepted for symmetry with the action; the report always goes to stdout',
  },
  { name: 'help', boolean: true, help: 'show this help' },
];

export function parseFlags(args: readonly string[], specs: readonly FlagSpec[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const match = /^--([a-z][a-z0-9-]*)(?:=([\s\S]*))?$/.exec(arg);
    const spec = match ? specs.find((s) => s.name === match[1]) : undefined;
    if (!match || !spec) {
      throw new ProvenanceError(
        'INPUT_INVALID',
        `unknown argument "${arg}"`,
        `Valid flags: ${specs.map((s) => `--${s.name}`).join(', ')}`,
      );
    }
    let value = match[2];
    if (value === undefined) {
      const next = args[i + 1];
      if (spec.boolean && (next === undefined || next.startsWith('--') || !/^(true|false)$/.test(next))) value = 'true';
      else if (next === undefined)
        throw new ProvenanceError('INPUT_INVALID', `--${spec.name} needs a value`, `Write --${spec.name} <value>`);
      else value = args[++i] ?? '';
    }
    const previous = flags.get(spec.name);
    flags.set(spec.name, previous === undefined ? value : `${previous}\n${value}`);
  }
  return flags;
}

const flagLines = (flags: readonly FlagSpec[]): string[] => {
  const width = Math.max(...flags.map((f) => f.name.length)) + 4;
  return flags.map((f) => `  --${f.name.padEnd(width)}${f.help}`);
};

const USAGE_LINES = [
  'usage: provenance attest [flags]',
  '       provenance verify [flags]',
  '       provenance verify-bundle (the Sigstore conformance protocol)',
];

const ABOUT: Readonly<Record<Command, readonly string[]>> = {
  attest: [
    'attest: signs SLSA v1 provenance (or a custom predicate) for files or digests with Sigstore, keylessly.',
    'Identity: the GitHub Actions job token, or SIGSTORE_ID_TOKEN elsewhere.',
  ],
  verify: [
    'verify: checks that every artifact is covered by a bundle that passes every check and the policy;',
    'exit status 0 only when all pass. Works offline with the built-in public-good trusted root.',
  ],
};

export type Command = 'attest' | 'verify';

/**
 * `provenance --help`: the commands and what each does; `provenance <command> --help`: that
 * command's flags only, so the help a user asked for is not buried under another command's.
 */
export function usage(command?: Command): string {
  if (command === undefined) {
    return [
      ...USAGE_LINES,
      '',
      ...ABOUT.attest,
      '',
      ...ABOUT.verify,
      '',
      'Run "provenance attest --help" or "provenance verify --help" for the flags of each.',
      '',
    ].join('\n');
  }
  const flags = command === 'attest' ? ATTEST_FLAGS : VERIFY_FLAGS;
  return [`usage: provenance ${command} [flags]`, '', ...ABOUT[command], '', ...flagLines(flags), ''].join('\n');
}
