// Reading bundles back from a workflow artifact (uploaded by `uploadBundlesArtifact` in an earlier job).
// @actions/artifact finds it by name over the results service (or, with `from`, over the REST API in
// another run), downloads the zip from its signed blob URL, checks it against the digest recorded at
// upload, and unpacks it into a temporary directory that is removed afterwards.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';
import { ProvenanceError } from '../../common/errors.ts';
import {
  ARTIFACT_SERVICE,
  artifactFailure,
  requireArtifactRuntime,
  withArtifactEnv,
} from '../../github/workflow-artifacts.ts';
import type { ArtifactEnv } from '../../github/workflow-artifacts.ts';
import { MAX_BUNDLE_FILE_BYTES } from './bundle-text.ts';

/** Another workflow run to read the artifact from (needs a token with `actions: read` on that repository). */
export interface ArtifactRun {
  repository: string; // owner/name
  runId: number;
  token: string;
}

export interface ArtifactBundleText {
  /** Where the text came from, e.g. `artifact:provenance/app.sigstore.json`. */
  source: string;
  text: string;
}

const BUNDLE_FILE = /\.(sigstore\.json|jsonl)$/;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && BUNDLE_FILE.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Downloads the artifact `name` of the current workflow run (or of `from`) and returns the text of each
 * `*.sigstore.json` and `*.jsonl` file in it, sorted by path.
 */
export async function artifactBundles(
  name: string,
  env: ArtifactEnv,
  from?: ArtifactRun,
): Promise<ArtifactBundleText[]> {
  requireArtifactRuntime(env);
  let findBy: { token: string; workflowRunId: number; repositoryOwner: string; repositoryName: string } | undefined;
  if (from !== undefined) {
    const [owner, repo, extra] = from.repository.split('/');
    if (!owner || !repo || extra !== undefined || !Number.isSafeInteger(from.runId) || from.runId <= 0) {
      throw new ProvenanceError(
        'INPUT_INVALID',
        `cannot read artifact "${name}" from run ${from.runId} of "${from.repository}"`,
        'Give the repository as owner/name and a positive workflow run id',
      );
    }
    findBy = { token: from.token, workflowRunId: from.runId, repositoryOwner: owner, repositoryName: repo };
  }
  const dir = await mkdtemp(join(tmpdir(), 'provenance-artifact-'));
  try {
    const files = await withArtifactEnv(env, async () => {
      const client = new DefaultArtifactClient();
      let artifact: { id: number; digest?: string | undefined };
      try {
        ({ artifact } = await client.getArtifact(name, findBy === undefined ? {} : { findBy }));
      } catch (err) {
        throw artifactFailure('find artifact', name, err);
      }
      let digestMismatch: boolean | undefined;
      try {
        const options = {
          path: dir,
          ...(artifact.digest ? { expectedHash: artifact.digest } : {}),
          ...(findBy === undefined ? {} : { findBy }),
        };
        ({ digestMismatch } = await client.downloadArtifact(artifact.id, options));
      } catch (err) {
        throw artifactFailure('download artifact', name, err);
      }
      if (digestMismatch === true) {
        throw new ProvenanceError(
          'ARTIFACT_FAILED',
          `${ARTIFACT_SERVICE} served artifact "${name}" with a digest other than the one recorded at upload`,
          'The download was corrupted or the artifact replaced: re-run the job, and re-upload it if it persists',
        );
      }
      return filesUnder(dir);
    });
    if (files.length === 0) {
      throw new ProvenanceError(
        'ARTIFACT_NOT_FOUND',
        `artifact "${name}" from the ${ARTIFACT_SERVICE} holds no *.sigstore.json or *.jsonl files`,
        'Upload the bundles the attest step wrote to this artifact, or name the artifact that holds them',
      );
    }
    const out: ArtifactBundleText[] = [];
    for (const file of files) {
      const { size } = await stat(file);
      if (size > MAX_BUNDLE_FILE_BYTES) {
        throw new ProvenanceError(
          'ARTIFACT_FAILED',
          `artifact "${name}" holds ${relative(dir, file)} of ${size} bytes, more than ${MAX_BUNDLE_FILE_BYTES}`,
          'Upload only the bundle files the attest step wrote to this artifact',
        );
      }
      out.push({
        source: `artifact:${name}/${relative(dir, file).split(sep).join('/')}`,
        text: await readFile(file, 'utf8'),
      });
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
