// Reads the `subject-checksums` input, which is either the text of a checksums listing or
// the path of a checksums file in the workspace.
import { constants } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { ProvenanceError } from '../common/errors.ts';
import { isChecksumLine, MAX_CHECKSUMS_BYTES as MAX_BYTES, parseChecksums } from './checksums.ts';
import type { SourcedSubject } from './merge.ts';
import { show } from './show.ts';
import { checkedFile } from './checked-file.ts';
import type { Workspace } from './workspace.ts';
import { reason } from './os-reason.ts';

export async function readChecksumsInput(ws: Workspace, raw: string): Promise<SourcedSubject[]> {
  const value = raw.trim();
  // A path never holds a newline; a single line could be either, so try it as a listing first.
  if (value.includes('\n') || isChecksumLine(value)) return parseChecksums(value, 'subject-checksums');
  const file = checkedFile(ws, 'subject-checksums', value);
  if (file.size > MAX_BYTES) {
    throw new ProvenanceError(
      'CHECKSUMS_INVALID',
      `subject-checksums file ${show(value)} is ${file.size} bytes; expected a checksums listing under ${MAX_BYTES} bytes`,
      'Point subject-checksums at the sha256sum output, not at an artifact.',
    );
  }
  let text: string;
  try {
    // O_NONBLOCK: should a FIFO replace the file after our stat, fail instead of hanging.
    text = await readFile(file.real, { encoding: 'utf8', flag: constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) });
  } catch (err) {
    throw new ProvenanceError(
      'SUBJECT_UNREADABLE',
      `subject-checksums file ${show(value)} cannot be read: ${reason(err)}`,
      'Check the file exists and the runner user may read it.',
    );
  }
  return parseChecksums(text, `subject-checksums file ${show(value)}`);
}
