// Attest mode's inputs, read once and checked into a typed settings object. The action reads
// them from INPUT_* variables and the CLI from flags; both pass a `get(name)` so the rules (and
// the error messages, which name the action.yml key) are the same everywhere. Pure.

import { ProvenanceError } from '../common/errors.ts';
import { SLSA_PROVENANCE_V1 } from './provenance/predicate.ts';
import { booleanInput, sigstoreSetting, type InputReader, type SigstoreSetting } from '../inputs/read.ts';
import type { GitHubPublishSettings } from './publish/github.ts';
import { checkGitHubTokenShape } from '../inputs/github-token.ts';
import { checkArtifactName } from '../github/artifact-name.ts';
import { isStageName, STAGE_NAMES, type StageName } from '../stages/presets.ts';
import type { SubjectInputs } from '../subjects/index.ts';
import { deploymentTarget, type DeploymentTarget } from './stages/deployment.ts';

export type PredicateSource =
  | { kind: 'provenance' } // SLSA v1 provenance built from the job's identity
  | { kind: 'inline'; type: string; json: string } // `predicate`
  | { kind: 'file'; type: string; path: string } // `predicate-path`
  // a stage preset (stage): the predicate built from the document, which is optional for approval
  // and absent for deployment (whose target comes from deployment-target and deployment-namespace)
  | {
      kind: 'stage';
      stage: Exclude<StageName, 'provenance'>;
      document: { inline: string } | { path: string } | undefined;
      target: DeploymentTarget | undefined;
    };

/** links: bundle files (globs) this attestation builds on, and/or those already published for its subjects. */
export interface LinkSettings {
  patterns: string;
  published: boolean;
}

/** The subject inputs, plus attest's `artifact`: a workflow artifact whose files are the subjects (then the only source). */
export interface AttestSubjectInputs extends SubjectInputs {
  artifact: string | undefined;
}

export interface AttestSettings {
  subjects: AttestSubjectInputs;
  predicate: PredicateSource;
  sigstore: SigstoreSetting;
  bundlePath: string | undefined;
  showSummary: boolean;
  github: GitHubPublishSettings;
  /** Attach each image subject's bundle to the image in its registry. */
  pushToRegistry: boolean;
  /** Upload the bundle file as a workflow artifact of this name, for later jobs. */
  uploadArtifact: string | undefined;
  links: LinkSettings;
}

export function attestSettings(get: InputReader): AttestSettings {
  const subjects: AttestSubjectInputs = {
    paths: get('subject-path'),
    names: get('subject-name'),
    digests: get('subject-digest'),
    checksums: get('subject-checksums'),
    artifact: get('artifact').trim() || undefined,
  };
  const givenInputs = (
    [
      ['subject-path', subjects.paths],
      ['subject-name', subjects.names],
      ['subject-digest', subjects.digests],
      ['subject-checksums', subjects.checksums],
    ] as const
  )
    .filter(([, value]) => value.trim() !== '')
    .map(([input]) => input);
  const anySubject = givenInputs.length > 0 || subjects.artifact !== undefined;
  const stage = get('stage').trim();
  if (stage === 'source') {
    // The subject is the commit the job's verified token names; files would be a second, unrelated claim.
    if (anySubject) {
      throw new ProvenanceError(
        'INPUT_CONFLICT',
        'stage: source attests the commit this job runs on, but subject-path, subject-name, subject-digest, subject-checksums or artifact is set',
        "Drop the subject inputs from the source step: its subject is the commit (the job token's sha), which the build provenance names",
      );
    }
    if (get('attestations-api').trim() === 'true') {
      throw new ProvenanceError(
        'INPUT_CONFLICT',
        "stage: source signs a Source VSA about a commit, but attestations-api is true: GitHub's attestations API files attestations under an artifact's sha256, and a commit has none",
        'Set attestations-api to auto or false for the source step, and keep its bundle file (upload-artifact, upload-to-release or bundle-path) for verify mode',
      );
    }
    if (get('github-token').trim() === '') {
      throw new ProvenanceError(
        'INPUT_INVALID',
        'stage: source reads the branch rules and the pull request from the GitHub API, but github-token is empty',
        'Keep the default "github-token: ${{ github.token }}" and grant "permissions: contents: read, pull-requests: read"',
      );
    }
  } else if (!anySubject) {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      'no subjects: one of subject-path, subject-digest (with subject-name), subject-checksums or artifact is required',
      'Add e.g. "subject-path: dist/*" to the step',
    );
  }
  if (subjects.artifact !== undefined) {
    checkArtifactName(subjects.artifact, 'artifact');
    // One source of subjects per step: files of the workspace next to the artifact's would be signed as if
    // the job that uploaded the artifact had handed them over.
    if (givenInputs.length > 0) {
      throw new ProvenanceError(
        'INPUT_CONFLICT',
        `artifact and ${givenInputs.join(', ')} are both set; expected one source of subjects per step`,
        `Attest the artifact's files alone (drop ${givenInputs.join(', ')}), or drop artifact and name the subjects in this job`,
      );
    }
  }
  const pushToRegistry = booleanInput('push-to-registry', get('push-to-registry'), false);
  // Known before anything is signed: without an image subject there is nothing to attach the bundle to.
  if (pushToRegistry && !subjects.names.trim()) {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      'push-to-registry is true but no image is named: subject-name and subject-digest give the images',
      'Add "subject-name: ghcr.io/OWNER/IMAGE" and "subject-digest: sha256:…" (e.g. from docker/build-push-action\'s digest output)',
    );
  }
  return {
    subjects,
    predicate: predicateFromInputs(get),
    sigstore: sigstoreSetting(get('sigstore').trim() || 'auto'),
    bundlePath: get('bundle-path').trim() || undefined,
    showSummary: booleanInput('show-summary', get('show-summary'), true),
    github: githubPublishSettings(get),
    pushToRegistry,
    uploadArtifact: get('upload-artifact').trim() || undefined,
    links: linkSettings(get('links')),
  };
}

function predicateFromInputs(get: InputReader): PredicateSource {
  const stage = get('stage').trim();
  const target = deploymentTarget(get('deployment-target'), get('deployment-namespace'));
  if (target !== undefined && stage !== 'deployment')
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      `deployment-target or deployment-namespace is set, but stage is ${stage === '' ? 'empty' : `"${stage}"`}`,
      'Set "stage: deployment" to attest a deployment, or drop deployment-target and deployment-namespace',
    );
  const source =
    stageSource(stage, get('predicate-type').trim(), get('predicate'), get('predicate-path').trim()) ??
    predicateSource(get('predicate-type').trim(), get('predicate'), get('predicate-path').trim());
  return source.kind === 'stage' ? { ...source, target } : source;
}

/** `published` is a word of its own on a line; every other line is a path or glob. */
export const PUBLISHED_LINKS = 'published';

function linkSettings(raw: string): LinkSettings {
  const lines = raw
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return {
    patterns: lines.filter((l) => l !== PUBLISHED_LINKS).join('\n'),
    published: lines.includes(PUBLISHED_LINKS),
  };
}

/** A stage preset, or undefined when `stage` is empty or `provenance` (the predicate inputs then decide). */
function stageSource(stage: string, type: string, inline: string, file: string): PredicateSource | undefined {
  if (stage === '' || stage === 'provenance') {
    if (stage === 'provenance' && (type !== '' || inline.trim() !== '' || file !== '')) {
      throw new ProvenanceError(
        'INPUT_CONFLICT',
        "stage: provenance is built from the job's identity, but predicate-type, predicate or predicate-path is set",
        'Drop those inputs, or pick the stage that matches your document (sbom, vulns, vex, policy, approval, deployment)',
      );
    }
    return undefined;
  }
  if (!isStageName(stage) || stage === 'provenance') {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `stage: "${stage}" is not one of ${STAGE_NAMES.join(', ')}`,
      'Pick the stage your document records, or leave stage empty and set predicate-type for any other predicate',
    );
  }
  if (type !== '') {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      `stage: ${stage} and predicate-type are both set`,
      `Drop predicate-type: stage ${stage} picks the predicate type from the document`,
    );
  }
  if (inline.trim() !== '' && file !== '') {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      'predicate and predicate-path are both set',
      'Give the document either inline or as a file, not both',
    );
  }
  if (stage === 'source' && (inline.trim() !== '' || file !== '')) {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      'stage: source is built from what the GitHub API reports for the commit, but predicate or predicate-path is set',
      'Drop predicate and predicate-path from the source step',
    );
  }
  const document = file !== '' ? { path: file } : inline.trim() !== '' ? { inline } : undefined;
  if (document !== undefined && stage === 'deployment') {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      `stage: deployment takes no document, but ${file !== '' ? 'predicate-path' : 'predicate'} is set`,
      'Drop it: a deployment is recorded from the job (environment, run) and the deployment-target and deployment-namespace inputs',
    );
  }
  if (document === undefined && stage !== 'approval' && stage !== 'deployment' && stage !== 'source') {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      `stage: ${stage} needs its document in predicate-path (or predicate)`,
      `Set predicate-path to the ${stage === 'sbom' ? 'SPDX or CycloneDX JSON file' : stage === 'vulns' ? 'scanner report (SARIF, Grype or Trivy JSON)' : stage === 'vex' ? 'OpenVEX document' : 'policy result (a VSA, a test-result predicate, or conftest JSON)'}`,
    );
  }
  return { kind: 'stage', stage, document, target: undefined };
}

function githubPublishSettings(get: InputReader): GitHubPublishSettings {
  const api = get('attestations-api').trim() || 'auto';
  if (api !== 'auto' && api !== 'true' && api !== 'false') {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `attestations-api: "${api}" is not auto, true or false`,
      "Use auto (store where the repository's plan allows), true (require it) or false",
    );
  }
  const assetName = get('release-asset-name').trim() || undefined;
  if (assetName !== undefined && !/^[A-Za-z0-9._-]+\.jsonl$/.test(assetName)) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `release-asset-name: "${assetName}" is not a plain .jsonl file name`,
      'Use a name like provenance.intoto.jsonl, or leave it empty for one <subject>.sigstore.json per subject',
    );
  }
  const uploadToRelease = get('upload-to-release').trim() || undefined;
  if (uploadToRelease !== undefined && uploadToRelease !== 'auto') checkReleaseTag(uploadToRelease);
  const githubToken = get('github-token').trim();
  checkGitHubTokenShape(githubToken);
  return {
    uploadToRelease,
    releaseAssetName: assetName,
    replaceReleaseAssets: booleanInput('replace-release-assets', get('replace-release-assets'), false),
    attestationsApi: api,
    githubToken,
  };
}

/**
 * The tag names git itself refuses (git check-ref-format): no release can have one, so the upload
 * would fail only after signing. Printable characters are quoted; the value came from the workflow.
 */
export function checkReleaseTag(tag: string): void {
  const problem = /[\p{Cc}\s]/u.test(tag)
    ? 'contains white space or a control character'
    : /[~^:?*[\\]/.test(tag)
      ? 'contains one of ~ ^ : ? * [ \\'
      : tag.includes('..') || tag.includes('@{') || tag === '@'
        ? 'contains ".." or "@{" (or is "@")'
        : /^[-/.]|\/$|\.$|\.lock$|\/\/|\/\./.test(tag)
          ? 'starts with "-", "/" or ".", ends with "/", "." or ".lock", or has an empty or dot-led path component'
          : undefined;
  if (problem === undefined) return;
  throw new ProvenanceError(
    'INPUT_INVALID',
    `upload-to-release: "${tag}" is not a tag name git accepts: it ${problem}`,
    'Give the tag of an existing release, e.g. v1.2.0, or auto for the tag this run is for',
  );
}

function predicateSource(type: string, inline: string, file: string): PredicateSource {
  if (inline.trim() && file) {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      'predicate and predicate-path are both set',
      'Give the predicate either inline or as a file, not both',
    );
  }
  const given = inline.trim() || file;
  if (!type || type === SLSA_PROVENANCE_V1) {
    if (!given) return { kind: 'provenance' };
    if (!type) {
      throw new ProvenanceError(
        'INPUT_CONFLICT',
        `${file ? 'predicate-path' : 'predicate'} is set without predicate-type`,
        'Set predicate-type to the URI of the predicate you supply (e.g. https://spdx.dev/Document/v2.3), or drop it to attest SLSA provenance',
      );
    }
  }
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(type)) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `predicate-type: "${type}" is not a URI`,
      "Use the predicate's type URI, e.g. https://cyclonedx.org/bom",
    );
  }
  if (!given) {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      `predicate-type "${type}" is set without predicate or predicate-path`,
      'Supply the predicate JSON inline (predicate) or as a file (predicate-path)',
    );
  }
  return file ? { kind: 'file', type, path: file } : { kind: 'inline', type, json: inline };
}
