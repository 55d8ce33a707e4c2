// Resolves one file named literally by an input (the checksums file) with the same rules as
// subject paths: inside the workspace, symlinks resolved and kept inside, and only a regular
// file (checked with stat, so a FIFO is refused instead of blocking our read forever).
import { ProvenanceError } from '../common/errors.ts';
import { show } from './show.ts';
import { realInWorkspace, resolveInWorkspace, statOrUndefined } from './workspace.ts';
import type { Workspace } from './workspace.ts';

export function checkedFile(ws: Workspace, input: string, value: string): { real: string; size: number } {
  const { path } = resolveInWorkspace(ws, input, value);
  if (!statOrUndefined(path, false)) {
    throw new ProvenanceError(
      'SUBJECT_NOT_FOUND',
      `${input} file ${show(value)} does not exist (looked at ${show(path)}); expected a file in the workspace or the checksums text itself`,
      'Check the path is relative to the workspace and that the step writing it ran first.',
    );
  }
  const real = realInWorkspace(ws, input, path);
  if (real === undefined) {
    throw new ProvenanceError(
      'SUBJECT_NOT_FOUND',
      `${input} file ${show(value)} is a broken symlink; expected a file`,
      'Point the input at the file itself.',
    );
  }
  const st = statOrUndefined(real);
  if (!st?.isFile()) {
    throw new ProvenanceError(
      'SUBJECT_NOT_REGULAR',
      `${input} ${show(value)} is not a regular file (a directory, FIFO, socket or device); expected a file`,
      'Point the input at the checksums file itself.',
    );
  }
  return { real, size: st.size };
}
