// Verify mode's own inputs, read once into a typed object. The identity and provenance rules
// (repository, signer-workflow, ...) are read by the policy module; this file holds what to
// verify (subjects, bundles) and what to trust (trusted root, key). Pure.

import { ProvenanceError } from '../common/errors.ts';
import type { SubjectInputs } from '../subjects/index.ts';
import { checkGitHubTokenShape } from '../inputs/github-token.ts';
import { booleanInput, sigstoreSetting, type InputReader, type SigstoreSetting } from '../inputs/read.ts';

export type Mode = 'attest' | 'verify';

export function modeFrom(get: InputReader): Mode {
  const mode = get('mode').trim() || 'attest';
  if (mode === 'attest' || mode === 'verify') return mode;
  throw new ProvenanceError(
    'INPUT_INVALID',
    `mode: "${mode}" is neither attest nor verify`,
    'Set mode to attest (the default) or verify',
  );
}

export interface VerifySettings {
  subjects: SubjectInputs;
  /** Image references to verify (one per line), by tag or digest; bundles come from their registry. */
  images: string;
  /** Kubernetes or Compose files: every image they reference is verified. */
  manifests: string;
  /** Refuse images (from images or manifests) not pinned by digest: a tag is resolved again at deploy time. */
  requireDigest: boolean;
  /** Bundle files; may be empty when bundles come from registries or GitHub. */
  bundlePath: string;
  /** Read the release's assets for this tag (`auto`: the tag this run is for). */
  release: string | undefined;
  /** A workflow artifact of this run holding bundle files (what attest mode's upload-artifact made). */
  artifact: string | undefined;
  /** Upload the JSON report as a workflow artifact of this name (GitHub Actions only). */
  uploadArtifact?: string;
  /** Read GitHub's attestations API for each artifact (`auto`: when a github-token is given). */
  attestationsApi: 'auto' | 'true' | 'false';
  githubToken: string;
  /** public-good, public-good-offline, github, auto, or the path of a trusted root JSON (JSON Lines for several). */
  trustedRoot: string;
  /** Path of a PEM public key, for bundles signed with a managed key instead of a certificate. */
  key: string | undefined;
  /** Where the JSON report goes (default: under RUNNER_TEMP). */
  reportPath: string | undefined;
  /** Where signed Verification Summary Attestations go (JSON Lines), if wanted. */
  vsaPath: string | undefined;
  /** The Sigstore instance that signs them. */
  sigstore: SigstoreSetting;
  /** The policy file, if rules came from one: what a VSA cites as its policy. */
  policyFile: string | undefined;
  showSummary: boolean;
}

export function verifySettings(get: InputReader): VerifySettings {
  const subjects: SubjectInputs = {
    paths: get('subject-path'),
    names: get('subject-name'),
    digests: get('subject-digest'),
    checksums: get('subject-checksums'),
  };
  const images = get('images').trim();
  const manifests = get('manifests').trim();
  if (!subjects.paths.trim() && !subjects.digests.trim() && !subjects.checksums.trim() && !images && !manifests) {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      'verify mode needs the artifacts to check: subject-path, subject-digest (with subject-name), subject-checksums, images or manifests',
      'Add e.g. "subject-path: dist/*" or "images: ghcr.io/OWNER/IMAGE:TAG"; every artifact named must be covered by a passing bundle',
    );
  }
  const bundlePath = get('bundle-path').trim();
  const release = get('release').trim() || undefined;
  const api = get('attestations-api').trim() || 'auto';
  if (api !== 'auto' && api !== 'true' && api !== 'false') {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `attestations-api: "${api}" is not auto, true or false`,
      'Use auto (read when a github-token is given), true or false',
    );
  }
  const artifact = get('artifact').trim() || undefined;
  if (!bundlePath && !images && !manifests && !release && !artifact && api !== 'true') {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      'verify mode needs bundles: bundle-path, or images/manifests (read from their registry), release, artifact, or attestations-api: true',
      'Set bundle-path, e.g. "dist/*.sigstore.json" or the .jsonl written by attest mode',
    );
  }
  const githubToken = get('github-token').trim();
  checkGitHubTokenShape(githubToken);
  return {
    subjects,
    images,
    manifests,
    requireDigest: booleanInput('require-digest', get('require-digest'), false),
    bundlePath,
    release,
    artifact,
    ...(get('upload-artifact').trim() !== '' && { uploadArtifact: get('upload-artifact').trim() }),
    attestationsApi: api,
    githubToken,
    trustedRoot: get('trusted-root').trim() || 'auto',
    key: get('key').trim() || undefined,
    reportPath: get('report-path').trim() || undefined,
    vsaPath: get('vsa-path').trim() || undefined,
    sigstore: sigstoreSetting(get('sigstore').trim() || 'auto'),
    policyFile: get('policy').trim() || undefined,
    showSummary: booleanInput('show-summary', get('show-summary'), true),
  };
}
