// Merges subjects from all sources into one sorted list. The same name may appear twice only
// if both say the same thing: a statement naming one artifact with two digests would be a lie
// about one of them.
import { ProvenanceError } from '../common/errors.ts';
import { show } from './show.ts';

export interface SourcedSubject {
  name: string;
  digest: Record<string, string>;
  /** Where it came from, for messages: a file path, or e.g. `subject-checksums line 3`. */
  source: string;
}

export function mergeSubjects(all: Iterable<SourcedSubject>): { name: string; digest: Record<string, string> }[] {
  // Sorted first (a stable sort: the same name keeps its sources' order), so the same name is
  // found next to itself; cheaper than a map keyed by name at 100,000 subjects, and paths found
  // in a tree arrive already sorted. Code-unit order, not locale order: the same on every runner.
  const sorted = [...all].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const merged: { name: string; digest: Record<string, string> }[] = [];
  let last: { name: string; digest: Record<string, string> } | undefined;
  let lastSource = '';
  for (const s of sorted) {
    if (last?.name !== s.name) {
      // A copy of the digest: merging a duplicate below adds to it.
      last = { name: s.name, digest: { ...s.digest } };
      lastSource = s.source;
      merged.push(last);
      continue;
    }
    if (!agree(last.digest, s.digest)) {
      throw new ProvenanceError(
        'SUBJECT_DUPLICATE',
        `subject ${show(s.name)} is given twice with different digests: ${lastSource} has ${render(last.digest)}, ${s.source} has ${render(s.digest)}; expected one digest per name`,
        'Give each artifact a unique name (e.g. match a directory to name files by their path), or remove the stale copy.',
      );
    }
    Object.assign(last.digest, s.digest);
  }
  for (const subject of merged) subject.digest = sortKeys(subject.digest);
  return merged;
}

/** Two digest sets agree when they share an algorithm and every shared one matches. With no
 *  algorithm in common nothing shows they are the same artifact, so they do not agree. */
function agree(a: Record<string, string>, b: Record<string, string>): boolean {
  const shared = Object.keys(a).filter((alg) => Object.hasOwn(b, alg));
  return shared.length > 0 && shared.every((alg) => a[alg] === b[alg]);
}

function render(d: Record<string, string>): string {
  return Object.entries(d)
    .map(([alg, hex]) => `${alg}:${hex}`)
    .join(' ');
}

function sortKeys(d: Record<string, string>): Record<string, string> {
  const keys = Object.keys(d);
  if (keys.length === 1) return d; // the usual single digest: nothing to order (run per subject)
  return Object.fromEntries(keys.sort().map((k) => [k, d[k] ?? '']));
}
