// Reading bundles from the files `bundle-path` (or attest's `links`) names, as bundle-text.ts reads
// their text. Every bundle remembers the workspace-relative file (and line) it came from, for the report.

import { readFile } from 'node:fs/promises';
import { ProvenanceError } from '../../common/errors.ts';
import { matchPaths } from '../../subjects/match-paths.ts';
import { openWorkspace, relativeName } from '../../subjects/workspace.ts';
import { MAX_BUNDLE_FILE_BYTES, parseBundleText, type LoadedBundle } from './bundle-text.ts';

/** `matched` hears the files' total size before they are read (verify mode starts its workers early on it). */
export async function loadBundleFiles(
  patterns: string,
  workspace: string,
  matched?: (totalBytes: number) => void,
  input = 'bundle-path',
  confined = true,
): Promise<LoadedBundle[]> {
  if (!patterns.trim()) {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      'bundle-path is required in verify mode',
      'Name the bundle files, e.g. "bundle-path: dist/*.sigstore.json" or the .jsonl your attest step wrote',
    );
  }
  const ws = await openWorkspace(workspace, confined);
  const files = await matchPaths(ws, patterns, undefined, input);
  matched?.(files.reduce((sum, file) => sum + file.size, 0));
  const loaded: LoadedBundle[] = [];
  for (const file of files) {
    const label = relativeName(ws, file.path);
    if (file.size > MAX_BUNDLE_FILE_BYTES) {
      throw new ProvenanceError(
        'INPUT_INVALID',
        `${input} file "${label}" is ${file.size} bytes, more than ${MAX_BUNDLE_FILE_BYTES}`,
        `Point ${input} at Sigstore bundle files (.sigstore.json, .jsonl)`,
      );
    }
    loaded.push(...parseBundleText(await readFile(file.real, 'utf8'), label));
  }
  return loaded;
}
