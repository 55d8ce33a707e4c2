// Checks a subject name before it goes into a signed statement. Control characters (and the
// Unicode line separators) could forge extra lines in logs, summaries and `sha256sum -c` files.
import { ProvenanceError } from '../common/errors.ts';
import { show } from './show.ts';

const UNSAFE = /[\p{Cc}\u2028\u2029]/u;

/**
 * Throws INPUT_INVALID unless `name` is non-empty and printable; `from` says where it came from
 * (a function when building that text costs: it runs only for the message, and a tree of 100,000
 * files checks 100,000 names).
 */
export function checkSubjectName(name: string, from: string | (() => string)): void {
  if (name !== '' && !UNSAFE.test(name)) return;
  const source = typeof from === 'string' ? from : from();
  if (name === '') {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `${source} gives an empty subject name`,
      'Give every subject a non-empty name.',
    );
  }
  if (UNSAFE.test(name)) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `${source} gives the subject name ${show(name)}, which contains a control character; expected printable text`,
      'Rename the artifact (or fix the name) so it has no tabs, newlines or other control characters.',
    );
  }
}
