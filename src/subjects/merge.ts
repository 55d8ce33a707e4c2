// Merges subjects from all sources into one sorted list. The same name may appear twice only
// if both say the same thing: a statement naming one artifact with two digests would be a lie
// about one of them.
import { ProvenanceError } from '../errors.ts';
import { show } from './show.ts';

export interface SourcedSubject {
  name: string;
  digest: Record<string, string>;
  /** Where it came from, for messages: a file path, or e.g. `subject-checksums line 3`. */
  source: string;
}

export function mergeSubjects(all: Iterable<SourcedSubject>): { name: string; digest: Record<string, string> }[] {
  const byName = new Map<string, SourcedSubject>();
  for (const s of all) {
    const seen = byName.get(s.name);
    if (!seen) {
      byName.set(s.name, { ...s, digest: { ...s.digest } });
      continue;
    }
    if (!agree(seen.digest, s.digest)) {
      throw new ProvenanceError(
        'SUBJECT_DUPLICATE',
        `subject ${show(s.name)} is given twice with different digests: ${seen.source} has ${render(seen.digest)}, ${s.source} has ${render(s.digest)}; expected one digest per name`,
        'Give each artifact a unique name (e.g. match a directory to name files by their path), or remove the stale copy.',
      );
    }
    Object.assign(seen.digest, s.digest);
  }
  // Code-unit order, not locale order: the same on every runner.
  return [...byName.values()]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ name, digest }) => ({ name, digest: sortKeys(digest) }));
}

/** Two digest sets agree when they share an algorithm and every shared one matches. With no
 *  algorithm in common nothing shows they are the same artifact, so they do not agree. */
function agree(a: Record<string, string>, b: Record<string, string>): boolean {
  const shared = Object.keys(a).filter((alg) => alg in b);
  return shared.length > 0 && shared.every((alg) => a[alg] === b[alg]);
}

function render(d: Record<string, string>): string {
  return Object.entries(d).map(([alg, hex]) => `${alg}:${hex}`).join(' ');
}

function sortKeys(d: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(d).sort(([a], [b]) => (a < b ? -1 : 1)));
}
