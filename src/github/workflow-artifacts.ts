// Workflow artifacts: publishing bundles as one, so a later job of the same run can download and verify
// them, and downloading one (verify's bundles, attest's subjects) with the digest check the library offers.
// @actions/artifact (v2+) does the work: it reads the runner's ACTIONS_RUNTIME_TOKEN (a JWT naming the run
// and job) and ACTIONS_RESULTS_URL, creates the artifact over the results service's Twirp API, uploads a
// zip to the signed Azure Blob URL it gets back, and finalizes it. It retries 429/500/502/503/504 itself
// (5 attempts, 3 s backoff growing 1.5x) and fails at once on anything else, e.g. 409 for a name this run
// already has; those failures arrive here as plain Errors and leave as one-line ProvenanceErrors.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ArtifactNotFoundError,
  DefaultArtifactClient,
  GHESNotSupportedError,
  NetworkError,
  UsageError,
} from '@actions/artifact';
import { ProvenanceError } from '../common/errors.ts';
import { ARTIFACT_SERVICE, BAD_NAME, checkArtifactName } from './artifact-name.ts';

export { ARTIFACT_SERVICE, checkArtifactName } from './artifact-name.ts';

export type ArtifactEnv = Readonly<Record<string, string | undefined>>;

export interface BundleFile {
  name: string;
  content: string;
}

export interface UploadBundlesOptions {
  /** Replace an artifact of the same name in this run (e.g. when a step is re-run) instead of failing. */
  overwrite?: boolean;
  /** Days GitHub keeps the artifact; the repository's default when unset. */
  retentionDays?: number;
}

// The variables @actions/artifact reads from process.env itself.
const LIBRARY_ENV = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RESULTS_URL',
  'GITHUB_SERVER_URL',
  'GITHUB_API_URL',
  'GITHUB_WORKSPACE',
  'ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY',
  'ACTIONS_ARTIFACT_UPLOAD_TIMEOUT_MS',
  'ACTIONS_ARTIFACT_MAX_ARTIFACT_COUNT',
] as const;

/** Fails with a one-line error unless `env` is a GitHub Actions job's (the library needs both variables). */
export function requireArtifactRuntime(env: ArtifactEnv): void {
  const missing = ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_RESULTS_URL'].filter((key) => !env[key]);
  if (missing.length > 0) {
    throw new ProvenanceError(
      'ARTIFACTS_UNAVAILABLE',
      `${ARTIFACT_SERVICE} is not available: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`,
      'Workflow artifacts only work inside a GitHub Actions job (the runner sets these for JavaScript actions); outside one, publish bundles to a release or registry instead',
    );
  }
  if (env['GITHUB_SERVER_URL'] !== undefined && isGhes(env['GITHUB_SERVER_URL'])) {
    throw new ProvenanceError(
      'ARTIFACTS_UNAVAILABLE',
      `${ARTIFACT_SERVICE} is not available on GitHub Enterprise Server (${env['GITHUB_SERVER_URL']}) to @actions/artifact v2+`,
      'Publish bundles to a release or registry instead',
    );
  }
}

// The same test as @actions/artifact's isGhes().
function isGhes(serverUrl: string): boolean {
  let host: string;
  try {
    host = new URL(serverUrl).hostname.toUpperCase();
  } catch {
    return false;
  }
  return host !== 'GITHUB.COM' && !host.endsWith('.GHE.COM') && !host.endsWith('.LOCALHOST');
}

let envLock: Promise<unknown> = Promise.resolve();

/**
 * Runs `fn` with the library's variables taken from `env` (the library reads process.env, not a parameter).
 * Calls are serialised so two concurrent uses with different envs cannot see each other's variables.
 */
export function withArtifactEnv<T>(env: ArtifactEnv, fn: () => Promise<T>): Promise<T> {
  if (env === process.env) return fn();
  const run = async (): Promise<T> => {
    const saved = new Map<string, string | undefined>(LIBRARY_ENV.map((key) => [key, process.env[key]]));
    for (const key of LIBRARY_ENV) {
      const value = env[key];
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    try {
      return await fn();
    } finally {
      for (const [key, value] of saved) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  };
  const result = envLock.then(run, run);
  envLock = result.catch(() => undefined);
  return result;
}

// Signed blob URLs carry their secret in `sig`; keep it out of anything we print.
function scrub(text: string): string {
  return text.replace(/([?&]sig=)[^&\s"']+/g, '$1***').replace(/Bearer\s+\S+/gi, 'Bearer ***');
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return scrub(message.split('\n')[0] ?? message).trim();
}

/** Turns whatever @actions/artifact threw into a one-line ProvenanceError. `what` says what we were doing. */
export function artifactFailure(what: string, name: string, err: unknown): ProvenanceError {
  if (err instanceof ProvenanceError) return err;
  const line = firstLine(err);
  if (err instanceof ArtifactNotFoundError) {
    return new ProvenanceError(
      'ARTIFACT_NOT_FOUND',
      `${ARTIFACT_SERVICE} has no artifact named "${name}" in this workflow run`,
      'Check the artifact name, and that the job which uploads it ran earlier in this run (add it to `needs:`)',
      { cause: err },
    );
  }
  if (err instanceof UsageError) {
    return new ProvenanceError(
      'ARTIFACT_FAILED',
      `${ARTIFACT_SERVICE} refused to ${what} "${name}": the artifact storage quota is used up`,
      "Delete old artifacts or shorten their retention, or raise the account's storage limit",
      { cause: err },
    );
  }
  if (err instanceof GHESNotSupportedError) {
    return new ProvenanceError(
      'ARTIFACTS_UNAVAILABLE',
      `${ARTIFACT_SERVICE} is not available on GitHub Enterprise Server to @actions/artifact v2+`,
      'Publish bundles to a release or registry instead',
      { cause: err },
    );
  }
  if (err instanceof NetworkError) {
    return new ProvenanceError(
      'ARTIFACT_FAILED',
      `${ARTIFACT_SERVICE} could not be reached to ${what} "${name}" (${err.code})`,
      "On a self-hosted runner, allow it to reach GitHub's results and blob storage endpoints; otherwise re-run the job",
      { cause: err },
    );
  }
  if (/\(409\)|already exists/i.test(line)) {
    return new ProvenanceError(
      'ARTIFACT_CONFLICT',
      `${ARTIFACT_SERVICE} refused to ${what} "${name}": an artifact of that name already exists in this workflow run`,
      'Artifact names are unique per run: give this upload its own name (e.g. add the job or matrix values), or enable overwrite when re-running a step that already uploaded it',
      { cause: err },
    );
  }
  if (/\((401|403)\)/.test(line)) {
    return new ProvenanceError(
      'ARTIFACT_FAILED',
      `${ARTIFACT_SERVICE} refused the job's runtime token while trying to ${what} "${name}" (${line})`,
      'Run this inside the GitHub Actions job that owns the artifacts; the runtime token expires when the job ends',
      { cause: err },
    );
  }
  return new ProvenanceError(
    'ARTIFACT_FAILED',
    `${ARTIFACT_SERVICE} failed to ${what} "${name}": ${line}`,
    'Errors can be temporary: re-run the job; if it persists check https://www.githubstatus.com (Actions)',
    { cause: err },
  );
}

/** Another workflow run to read an artifact from (needs a token with `actions: read` on that repository). */
export interface ArtifactRun {
  repository: string; // owner/name
  runId: number;
  token: string;
}

/**
 * Downloads the artifact `name` of the current workflow run (or of `from`) and unpacks it into `dir`, which
 * the caller made and removes. @actions/artifact finds it by name over the results service (or, with `from`,
 * over the REST API), downloads the zip from its signed blob URL and checks it against the digest recorded
 * at upload: a mismatch fails here, whatever was unpacked. Failures leave as one-line ProvenanceErrors.
 */
export async function downloadArtifact(name: string, env: ArtifactEnv, dir: string, from?: ArtifactRun): Promise<void> {
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
  await withArtifactEnv(env, async () => {
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
  });
}

function checkNames(name: string, files: readonly BundleFile[]): void {
  checkArtifactName(name);
  if (files.length === 0) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `no bundle files to upload as artifact "${name}"`,
      'Sign at least one subject before publishing to an artifact',
    );
  }
  const seen = new Set<string>();
  for (const file of files) {
    if (file.name === '' || file.name === '.' || file.name === '..' || BAD_NAME.test(file.name)) {
      throw new ProvenanceError(
        'INPUT_INVALID',
        `bundle file name "${file.name}" cannot be stored in artifact "${name}"`,
        'Use plain file names without directories or " : < > | * ? \\ characters',
      );
    }
    if (seen.has(file.name)) {
      throw new ProvenanceError(
        'INPUT_INVALID',
        `bundle file name "${file.name}" appears twice in artifact "${name}"`,
        'Give each bundle file its own name',
      );
    }
    seen.add(file.name);
  }
}

/**
 * Uploads `files` as one workflow artifact called `name` (zipped by @actions/artifact), for a later job of the
 * same run to download with `artifactBundles`. An existing artifact of that name in this run fails with
 * ARTIFACT_CONFLICT, unless `options.overwrite` is set: then it is deleted and the upload made again.
 */
export async function uploadBundlesArtifact(
  name: string,
  files: readonly BundleFile[],
  env: ArtifactEnv,
  options: UploadBundlesOptions = {},
): Promise<{ id: number; name: string }> {
  requireArtifactRuntime(env);
  checkNames(name, files);
  const dir = await mkdtemp(join(tmpdir(), 'provenance-artifact-'));
  try {
    const paths: string[] = [];
    for (const file of files) {
      const path = join(dir, file.name);
      await writeFile(path, file.content, 'utf8');
      paths.push(path);
    }
    const uploadOptions = options.retentionDays === undefined ? {} : { retentionDays: options.retentionDays };
    return await withArtifactEnv(env, async () => {
      const client = new DefaultArtifactClient();
      const upload = async (): Promise<{ id: number; name: string }> => {
        const result = await client.uploadArtifact(name, paths, dir, uploadOptions);
        if (result.id === undefined) throw new Error('FinalizeArtifact: the service answered no artifact id');
        return { id: result.id, name };
      };
      try {
        return await upload();
      } catch (err) {
        const failure = artifactFailure('upload artifact', name, err);
        if (failure.code !== 'ARTIFACT_CONFLICT' || options.overwrite !== true) throw failure;
      }
      try {
        await client.deleteArtifact(name);
      } catch (err) {
        throw artifactFailure('delete the existing artifact', name, err);
      }
      try {
        return await upload();
      } catch (err) {
        throw artifactFailure('upload artifact', name, err);
      }
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
