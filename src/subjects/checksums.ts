// Parses checksum listings as written by GNU `sha256sum`/`sha512sum` (text or binary mode, with
// or without --tag), Perl `shasum`, BSD `sha256` (`SHA256 (name) = hex`) and `openssl dgst`,
// so a release's existing checksums file can be attested without hashing the files again.
import { ProvenanceError } from '../common/errors.ts';
import { HEX_LENGTH } from './digests.ts';
import type { DigestAlgorithm } from './digests.ts';
import type { SourcedSubject } from './merge.ts';
import { show } from './show.ts';
import { checkSubjectName } from './subject-name.ts';

/** A listing of a million artifacts is ~100 MiB; beyond that it is not a checksums file. */
export const MAX_CHECKSUMS_BYTES = 128 * 1024 * 1024;

const EXPECTED = 'expected "<hex>  <name>", "<hex> *<name>" or "SHA256 (<name>) = <hex>"';

// GNU: a leading `\` marks an escaped name; then hex, a space, and ` ` (text) or `*` (binary).
const GNU_LINE = /^(\\?)([0-9a-fA-F]+) [ *](.+)$/;
// BSD and `--tag`: `SHA256 (name) = hex`; OpenSSL writes `SHA2-256(name)= hex`.
const TAG_LINE = /^(\\?)SHA(?:2-)?(256|384|512) ?\((.+)\) ?= ?([0-9a-fA-F]+)$/;

const BY_LENGTH = new Map<number, DigestAlgorithm>(
  Object.entries(HEX_LENGTH).map(([alg, len]) => [len, alg as DigestAlgorithm]),
);

interface ChecksumLine {
  name: string;
  alg: DigestAlgorithm;
  hex: string;
}

/** True when `text` is one checksum line, so the input is a listing rather than a file path. */
export function isChecksumLine(text: string): boolean {
  return parseLine(text.trim()) !== undefined;
}

/** Subjects from a listing; `label` names it in messages, e.g. `subject-checksums`. */
export function parseChecksums(text: string, label: string): SourcedSubject[] {
  // UTF-8 never takes fewer bytes than UTF-16 code units: the length alone refuses most, before any split.
  if (text.length > MAX_CHECKSUMS_BYTES || Buffer.byteLength(text, 'utf8') > MAX_CHECKSUMS_BYTES) {
    throw new ProvenanceError(
      'CHECKSUMS_INVALID',
      `${label} is larger than ${MAX_CHECKSUMS_BYTES} bytes; expected a checksums listing`,
      'Point subject-checksums at the sha256sum output, not at an artifact.',
    );
  }
  const subjects: SourcedSubject[] = [];
  text.split('\n').forEach((rawLine, i) => {
    const line = rawLine.trim(); // also drops the CR of CRLF files
    if (line === '' || line.startsWith('#')) return;
    const source = `${label} line ${i + 1}`;
    const parsed = parseLine(line);
    if (!parsed) {
      throw new ProvenanceError(
        'CHECKSUMS_INVALID',
        `${source} ${show(line)} is not a checksum line; ${EXPECTED} with 64, 96 or 128 hex digits`,
        'Generate the file with `sha256sum` (or `shasum -a 256`) and list one artifact per line.',
      );
    }
    checkSubjectName(parsed.name, source);
    subjects.push({ name: parsed.name, digest: { [parsed.alg]: parsed.hex }, source });
  });
  return subjects;
}

function parseLine(line: string): ChecksumLine | undefined {
  const tag = TAG_LINE.exec(line);
  if (tag) {
    const [, escaped = '', bits = '', rawName = '', hex = ''] = tag;
    const alg = `sha${bits}` as DigestAlgorithm;
    return hex.length === HEX_LENGTH[alg] ? withName(rawName, escaped, alg, hex) : undefined;
  }
  const gnu = GNU_LINE.exec(line);
  if (gnu) {
    const [, escaped = '', hex = '', rawName = ''] = gnu;
    const alg = BY_LENGTH.get(hex.length);
    return alg ? withName(rawName, escaped, alg, hex) : undefined;
  }
  return undefined;
}

function withName(raw: string, escaped: string, alg: DigestAlgorithm, hex: string): ChecksumLine | undefined {
  const name = escaped ? unescapeName(raw) : raw;
  return name === undefined ? undefined : { name, alg, hex: hex.toLowerCase() };
}

/** GNU escapes `\` as `\\`, newline as `\n` and (coreutils 9) CR as `\r`; anything else is malformed. */
function unescapeName(raw: string): string | undefined {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const next = raw[++i];
    if (next === '\\') out += '\\';
    else if (next === 'n') out += '\n';
    else if (next === 'r') out += '\r';
    else return undefined;
  }
  return out;
}
