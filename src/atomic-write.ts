// Every file the action writes (bundles, reports) is written to a temporary sibling and renamed
// into place, so a failed or interrupted run never leaves a half-written file behind.

import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ProvenanceError } from './errors.ts';

/** Writes `content` to `file` atomically: temp file in the same directory, then rename. */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(temp, content, { mode: 0o644 });
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    const reason = err instanceof Error ? err.message : String(err);
    throw new ProvenanceError('OUTPUT_FAILED', `could not write ${file}: ${reason}`, 'Check that bundle-path names a writable location', { cause: err });
  }
}
