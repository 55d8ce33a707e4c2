// Reading bundles back from a workflow artifact (uploaded by `uploadBundlesArtifact` in an earlier job).
// downloadArtifact (github/workflow-artifacts.ts) finds it, checks its digest and unpacks it into a
// temporary directory, removed afterwards; the bundle files in it are read here.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { ProvenanceError } from '../../common/errors.ts';
import { ARTIFACT_SERVICE, downloadArtifact } from '../../github/workflow-artifacts.ts';
import type { ArtifactEnv, ArtifactRun } from '../../github/workflow-artifacts.ts';
import { MAX_BUNDLE_FILE_BYTES } from './bundle-text.ts';

export type { ArtifactRun } from '../../github/workflow-artifacts.ts';

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
  const dir = await mkdtemp(join(tmpdir(), 'provenance-artifact-'));
  try {
    await downloadArtifact(name, env, dir, from);
    const files = await filesUnder(dir);
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
