// A user-supplied predicate (an SBOM, a scan result, anything with a type URI), given inline or
// as a file. It must be a JSON object and is size-limited like GitHub's attest action's.

import { readFile, stat } from 'node:fs/promises';
import { ProvenanceError } from '../../common/errors.ts';
import { exceedsDepth } from '../../common/json.ts';
import { resolveInside, type PathRoots } from '../../common/workspace.ts';

export const MAX_PREDICATE_BYTES = 16 * 1024 * 1024;
/**
 * Nesting of a predicate: SBOMs and scanner reports nest a few dozen levels at most. The statement
 * is serialized to be signed, and JSON.stringify recurses: a few thousand levels end it with a RangeError.
 */
export const MAX_PREDICATE_DEPTH = 256;

export function parsePredicate(text: string, origin: string): object {
  const value = parseDocument(text, origin);
  if (Array.isArray(value)) {
    throw new ProvenanceError(
      'PREDICATE_INVALID',
      `${origin} is JSON but not an object`,
      'A predicate is a JSON object, e.g. {"key": "value"}',
    );
  }
  return value;
}

/** A JSON object or list (a stage preset may take a tool's list output), within the size limit. */
export function parseDocument(text: string, origin: string): object {
  if (Buffer.byteLength(text) > MAX_PREDICATE_BYTES) {
    throw new ProvenanceError(
      'PREDICATE_INVALID',
      `${origin} is larger than ${MAX_PREDICATE_BYTES} bytes`,
      'Attest a smaller document, or attest its digest as a subject',
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ProvenanceError(
      'PREDICATE_INVALID',
      `${origin} is not valid JSON: ${reason}`,
      'Fix the JSON (a predicate is a JSON object)',
    );
  }
  if (typeof value !== 'object' || value === null) {
    throw new ProvenanceError(
      'PREDICATE_INVALID',
      `${origin} is JSON but not an object`,
      'A predicate is a JSON object, e.g. {"key": "value"}',
    );
  }
  if (exceedsDepth(value, MAX_PREDICATE_DEPTH)) {
    throw new ProvenanceError(
      'PREDICATE_INVALID',
      `${origin} nests more than ${MAX_PREDICATE_DEPTH} levels deep`,
      'Attest a flatter document, or attest its digest as a subject',
    );
  }
  return value;
}

export async function readPredicateFile(
  input: string,
  workspace: string,
  options: { allowList?: boolean; roots?: PathRoots } = {},
): Promise<object> {
  const file = resolveInside('predicate-path', input, workspace, options.roots);
  const info = await stat(file).catch(() => undefined);
  if (info === undefined) {
    throw new ProvenanceError(
      'SUBJECT_NOT_FOUND',
      `predicate-path: "${input}" does not exist (looked at ${file}); expected a JSON file`,
      'Check the path (relative paths are resolved against the workspace) and that the step writing the document ran first',
    );
  }
  if (info.isDirectory()) {
    throw new ProvenanceError(
      'SUBJECT_NOT_REGULAR',
      `predicate-path: "${input}" is a directory; expected a JSON file`,
      `Name the file itself, e.g. ${input.replace(/\/+$/, '')}/sbom.json`,
    );
  }
  if (!info.isFile()) {
    throw new ProvenanceError(
      'SUBJECT_NOT_REGULAR',
      `predicate-path: "${input}" is not a regular file (a FIFO, socket or device); expected a JSON file`,
      'Write the document to a file first and name that file',
    );
  }
  if (info.size > MAX_PREDICATE_BYTES) {
    throw new ProvenanceError(
      'PREDICATE_INVALID',
      `predicate-path: "${input}" is ${info.size} bytes, more than ${MAX_PREDICATE_BYTES}`,
      'Attest a smaller document, or attest its digest as a subject',
    );
  }
  const text = await readFile(file, 'utf8');
  return options.allowList
    ? parseDocument(text, `predicate-path "${input}"`)
    : parsePredicate(text, `predicate-path "${input}"`);
}
