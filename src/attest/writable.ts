// Whether a file could be written where it is meant to go, asked before signing: a bundle that
// cannot be written would otherwise be signed (and logged) for nothing. Nothing is created here.

import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { ProvenanceError } from '../common/errors.ts';

/** Throws OUTPUT_FAILED unless `file` is (or could be made) a writable regular file; `input` names where it came from. */
export async function checkWritable(file: string, input: string): Promise<void> {
  const fail = (why: string): never => {
    throw new ProvenanceError(
      'OUTPUT_FAILED',
      `${input}: cannot write ${file}: ${why}`,
      `Point ${input} at a file or directory this job may write`,
    );
  };
  const existing = await stat(file).catch(() => undefined);
  if (existing?.isDirectory()) fail('it is a directory');
  // The nearest ancestor that exists must be a directory we may write in (the rest is made by mkdir).
  let dir = path.dirname(file);
  for (;;) {
    const info = await stat(dir).catch(() => undefined);
    if (info !== undefined) {
      if (!info.isDirectory()) fail(`${dir} is not a directory`);
      break;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  await access(dir, constants.W_OK).catch(() => fail(`${dir} is not writable`));
}
