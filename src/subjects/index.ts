// Turns the action's subject inputs (`subject-path`, `subject-name` + `subject-digest`,
// `subject-checksums`) into the in-toto subjects of the provenance statement: every source
// merged, checked for conflicts, sorted by name. `hashTree` does the same for a directory
// whose every file is a subject (attest's downloaded `artifact`).
import { ProvenanceError } from '../common/errors.ts';
import { readChecksumsInput } from './checksums-input.ts';
import { parseNamedDigests } from './digests.ts';
import { checkSubjectName } from './subject-name.ts';
import { HashQueue } from './hash-queue.ts';
import { findFiles } from './match-paths.ts';
import { mergeSubjects } from './merge.ts';
import type { SourcedSubject } from './merge.ts';
import type { Progress } from './progress.ts';
import type { HashAlgorithm } from './hash-file.ts';
import { openWorkspace, relativeName } from './workspace.ts';
import type { Workspace } from './workspace.ts';

export { hashWorkerUrl } from './worker-url.ts';
export { progressLine } from './progress.ts';
export type { Progress } from './progress.ts';

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
  /** false: paths may lead outside the workspace (the CLI); default true. */
  confined?: boolean;
  /** Threads hashing, the main thread included; default `os.availableParallelism()`. */
  concurrency?: number;
  /** Called at most every ~2 s while files are hashed, and once at the end of a run that was. */
  onProgress?: (p: Progress) => void;
  /** See HashOptions: false leaves the hashing to worker threads (tests). */
  hashOnMainThread?: boolean;
  /** Digests of files to compute; default SHA-256 only (verify mode may add SHA-512). */
  algorithms?: readonly HashAlgorithm[];
}

export async function collectSubjects(inputs: SubjectInputs, options: SubjectOptions): Promise<Subject[]> {
  const given = (s: string): boolean => s.trim() !== '';
  if (!given(inputs.paths) && !given(inputs.names) && !given(inputs.digests) && !given(inputs.checksums)) {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      'no subjects given: subject-path, subject-name with subject-digest, and subject-checksums are all empty; expected at least one',
      'Set subject-path to the release files, or subject-name and subject-digest, or subject-checksums to a sha256sum listing.',
    );
  }
  const ws = await openWorkspace(options.workspace, options.confined ?? true);
  // The cheap inputs are checked first, so a typo there fails before gigabytes are hashed.
  // As in GitHub's attest action, subject-name without subject-digest names the files subject-path
  // matches; two different files under that one name are then refused as a duplicate.
  const renamesPaths = given(inputs.names) && !given(inputs.digests) && given(inputs.paths);
  const rename = renamesPaths ? pathSubjectName(inputs.names) : undefined;
  const named =
    (given(inputs.names) || given(inputs.digests)) && !renamesPaths
      ? parseNamedDigests(inputs.names, inputs.digests)
      : [];
  const listed = given(inputs.checksums) ? await readChecksumsInput(ws, inputs.checksums) : [];
  const hashed = given(inputs.paths) ? await hashPaths(ws, inputs.paths, options) : [];
  return mergeSubjects([
    ...(rename === undefined ? hashed : hashed.map((s) => ({ ...s, name: rename }))),
    ...named,
    ...listed,
  ]);
}

/**
 * Every regular file under `dir` as a subject named by its path relative to `dir`, with "/" separators
 * (e.g. `docs/manual.pdf`): how a downloaded workflow artifact's files are attested. The directory is
 * searched and hashed as subject-path searches a workspace directory, with the same checks (symlinks
 * must stay inside it, names must be valid subject names); `input` names the source in messages.
 */
export async function hashTree(
  dir: string,
  input: string,
  options: Omit<SubjectOptions, 'workspace' | 'confined'> = {},
): Promise<Subject[]> {
  const ws = await openWorkspace(dir, true);
  return mergeSubjects(await hashPaths(ws, '.', { ...options, workspace: dir }, input));
}

function pathSubjectName(names: string): string {
  const lines = names.trim().split(/\r?\n/);
  const name = lines[0]?.trim() ?? '';
  if (lines.length !== 1) {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      `subject-name has ${lines.length} lines but no subject-digest; with subject-path it names the matched file, so one line is expected`,
      'Give one subject-name for the file, or pair each name with a subject-digest line',
    );
  }
  checkSubjectName(name, 'subject-name');
  return name;
}

async function hashPaths(
  ws: Workspace,
  paths: string,
  options: SubjectOptions,
  input = 'subject-path',
): Promise<SourcedSubject[]> {
  // Files are hashed while the search goes on; each real path once, however often matched.
  const queue = new HashQueue({
    ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
    ...(options.onProgress && { onProgress: options.onProgress }),
    ...(options.algorithms && { algorithms: options.algorithms }),
    ...(options.hashOnMainThread !== undefined && { hashOnMainThread: options.hashOnMainThread }),
  });
  try {
    const files = await findFiles(ws, paths, (real, size, label) => queue.submit(real, size, label), input);
    const digestOf = await queue.digests();
    return files.map((f) => {
      const digest = digestOf(f.real);
      if (digest === undefined) throw new Error(`no digest for ${f.real}`); // a bug, not a user error
      return { name: f.name, digest, source: relativeName(ws, f.path) }; // mergeSubjects copies the digest
    });
  } finally {
    queue.close();
  }
}
