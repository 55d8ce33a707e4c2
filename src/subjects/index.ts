// Turns the action's subject inputs (`subject-path`, `subject-name` + `subject-digest`,
// `subject-checksums`) into the in-toto subjects of the provenance statement: every source
// merged, checked for conflicts, sorted by name.
import { ProvenanceError } from '../errors.ts';
import { readChecksumsInput } from './checksums-input.ts';
import { parseNamedDigests } from './digests.ts';
import { hashFiles } from './hash-files.ts';
import { matchPaths } from './match-paths.ts';
import { mergeSubjects } from './merge.ts';
import type { SourcedSubject } from './merge.ts';
import type { Progress } from './progress.ts';
import { openWorkspace, relativeName } from './workspace.ts';

export { hashWorkerUrl } from './worker-url.ts';

export interface Subject {
  name: string;
  /** Algorithm → lowercase hex, e.g. `{ sha256: '9f86…' }`. */
  digest: Record<string, string>;
}

export interface SubjectInputs {
  /** Raw `subject-path`: globs, comma- or newline-separated; `!` excludes; a directory means the files under it. */
  paths: string;
  /** Raw `subject-name`: one per line, paired by position with `digests`. */
  names: string;
  /** Raw `subject-digest`: `sha256:<hex>` / `sha384:` / `sha512:`, one per line. */
  digests: string;
  /** Raw `subject-checksums`: a path to a sha256sum/shasum file, or the text of one. */
  checksums: string;
}

export interface SubjectOptions {
  workspace: string;
  /** Hash workers; default `os.availableParallelism()`. */
  concurrency?: number;
  /** Called at most every ~2 s while files are hashed. */
  onProgress?: (p: Progress) => void;
}

export async function collectSubjects(inputs: SubjectInputs, options: SubjectOptions): Promise<Subject[]> {
  const given = (s: string): boolean => s.trim() !== '';
  if (!given(inputs.paths) && !given(inputs.names) && !given(inputs.digests) && !given(inputs.checksums)) {
    throw new ProvenanceError('INPUT_CONFLICT', 'no subjects given: subject-path, subject-name with subject-digest, and subject-checksums are all empty; expected at least one', 'Set subject-path to the release files, or subject-name and subject-digest, or subject-checksums to a sha256sum listing.');
  }
  const ws = await openWorkspace(options.workspace);
  const all: SourcedSubject[] = [];
  if (given(inputs.paths)) {
    const files = await matchPaths(ws, inputs.paths);
    // A file matched by several patterns, or reached through several symlinks, is read once.
    const unique = [...new Map(files.map((f) => [f.real, { path: f.real, label: relativeName(ws, f.path), size: f.size }])).values()];
    const hashOptions = { ...(options.concurrency !== undefined && { concurrency: options.concurrency }), ...(options.onProgress && { onProgress: options.onProgress }) };
    const digests = await hashFiles(unique, hashOptions);
    const byReal = new Map(unique.map((f, i) => [f.path, digests[i] ?? '']));
    for (const f of files) {
      all.push({ name: f.name, digest: { sha256: byReal.get(f.real) ?? '' }, source: relativeName(ws, f.path) });
    }
  }
  if (given(inputs.names) || given(inputs.digests)) all.push(...parseNamedDigests(inputs.names, inputs.digests));
  if (given(inputs.checksums)) all.push(...(await readChecksumsInput(ws, inputs.checksums)));
  return mergeSubjects(all);
}
