// Attest's `artifact` input: the subjects are the files of a workflow artifact an earlier job of this run
// uploaded (the reusable signing workflow's way in: the build job hands over its files, the isolated job
// hashes what it received). Downloaded into a fresh directory under the runner's temp, hashed as
// subject-path hashes a directory, and removed afterwards, also when anything fails.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProvenanceError } from '../common/errors.ts';
import type { Runtime } from '../common/runtime.ts';
import { ARTIFACT_SERVICE, downloadArtifact } from '../github/workflow-artifacts.ts';
import { hashTree, type Progress, type Subject } from '../subjects/index.ts';

/** Each file of artifact `name`, named by its path inside the artifact with "/" separators. */
export async function artifactSubjects(
  name: string,
  rt: Runtime,
  onProgress?: (p: Progress) => void,
): Promise<Subject[]> {
  const dir = await mkdtemp(join(rt.temp ?? tmpdir(), 'provenance-subjects-'));
  try {
    await downloadArtifact(name, rt.env, dir);
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    if (!entries.some((entry) => entry.isFile() || entry.isSymbolicLink())) {
      throw new ProvenanceError(
        'ARTIFACT_NOT_FOUND',
        `artifact "${name}" from the ${ARTIFACT_SERVICE} holds no files; expected the files to attest`,
        "Upload the build's files under this name (actions/upload-artifact) in an earlier job of this run, before this step",
      );
    }
    return await hashTree(dir, `artifact "${name}"`, onProgress === undefined ? {} : { onProgress });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
