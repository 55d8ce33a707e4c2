// Checks a subject name before it goes into a signed statement. Control characters (and the
// Unicode line separators) could forge extra lines in logs, summaries and `sha256sum -c` files.
import { ProvenanceError } from '../errors.ts';
import { show } from './show.ts';

const UNSAFE = /[\p{Cc}\u2028\u2029]/u;

/** Throws INPUT_INVALID unless `name` is non-empty and printable; `source` says where it came from. */
export function checkSubjectName(name: string, source: string): void {
  if (name === '') {
    throw new ProvenanceError('INPUT_INVALID', `${source} gives an empty subject name`, 'Give every subject a non-empty name.');
  }
  if (UNSAFE.test(name)) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `${source} gives the subject name ${show(name)}, which contains a control character; expected printable text`,
      'Rename the artifact (or fix the name) so it has no tabs, newlines or other control characters.',
    );
  }
}
