// Every file the action writes (bundles, reports) is written to a temporary sibling and renamed
// into place, so a failed or interrupted run never leaves a half-written file behind.

import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ProvenanceError } from './errors.ts';

/** Writes `content` to `file` atomically: temp file in the same directory, then rename. */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  await (await stageFileAtomic(file, content)).commit();
}

/** A file written next to its place but not yet in it: `commit` renames it into place, `discard` removes it. */
export interface StagedFile {
  readonly file: string;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

/**
 * Writes `content` to a temporary sibling of `file` now (so a full disk or a read-only directory fails
 * before anything is published), and puts it in place only on `commit`: a run that fails in between
 * leaves no file behind.
 */
export async function stageFileAtomic(file: string, content: string): Promise<StagedFile> {
  const temp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  const failed = async (err: unknown): Promise<never> => {
    await rm(temp, { force: true });
    const reason = err instanceof Error ? err.message : String(err);
    throw new ProvenanceError(
      'OUTPUT_FAILED',
      `could not write ${file}: ${reason}`,
      'Check that bundle-path names a writable location',
      { cause: err },
    );
  };
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(temp, content, { mode: 0o644 });
  } catch (err) {
    return failed(err);
  }
  return {
    file,
    commit: () => rename(temp, file).catch(failed),
    discard: () => rm(temp, { force: true }),
  };
}
