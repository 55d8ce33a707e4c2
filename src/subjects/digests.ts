// Parses `subject-digest` values and pairs them by position with `subject-name` lines, for
// artifacts hashed elsewhere (a container image, a file built on another runner).
import { ProvenanceError } from '../common/errors.ts';
import { show } from './show.ts';
import { checkSubjectName } from './subject-name.ts';
import type { SourcedSubject } from './merge.ts';

/** Hex length of each algorithm we accept; in-toto names them in lowercase like this. */
export const HEX_LENGTH = { sha256: 64, sha384: 96, sha512: 128 } as const;
export type DigestAlgorithm = keyof typeof HEX_LENGTH;

const EXPECTED = 'sha256:<64 hex>, sha384:<96 hex> or sha512:<128 hex>';

/** `alg:hex` → `[alg, lowercase hex]`, or SUBJECT_DIGEST_INVALID naming `source`. */
export function parseDigest(value: string, source: string): [DigestAlgorithm, string] {
  const m = /^(sha256|sha384|sha512):([0-9a-fA-F]+)$/.exec(value);
  const alg = m?.[1] as DigestAlgorithm | undefined;
  const hex = m?.[2];
  if (alg === undefined || hex === undefined || hex.length !== HEX_LENGTH[alg]) {
    throw new ProvenanceError(
      'SUBJECT_DIGEST_INVALID',
      `${source} ${show(value)} is not a digest; expected ${EXPECTED}`,
      'Write the digest as printed by `sha256sum` with its algorithm in front, e.g. sha256:9f86d0…',
    );
  }
  return [alg, hex.toLowerCase()];
}

/** One subject per (name, digest) line pair. Blank lines at either end are ignored. */
export function parseNamedDigests(names: string, digests: string): SourcedSubject[] {
  const nameLines = lines(names);
  const digestLines = lines(digests);
  if (nameLines.length !== digestLines.length) {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      `subject-name has ${nameLines.length} line(s) but subject-digest has ${digestLines.length}; expected one name per digest, paired by position`,
      'Give subject-name and subject-digest the same number of lines, in the same order.',
    );
  }
  return nameLines.map((name, i) => {
    const [alg, hex] = parseDigest(digestLines[i] ?? '', `subject-digest line ${i + 1}`);
    checkSubjectName(name, `subject-name line ${i + 1}`);
    return { name, digest: { [alg]: hex }, source: `subject-name/subject-digest line ${i + 1}` };
  });
}

/** Lines trimmed of whitespace and CR; an all-blank input has none. Inner blank lines are kept
 *  (and then refused) so that pairing by position cannot silently shift. */
function lines(raw: string): string[] {
  const trimmed = raw.trim();
  return trimmed === '' ? [] : trimmed.split(/\r?\n/).map((l) => l.trim());
}
