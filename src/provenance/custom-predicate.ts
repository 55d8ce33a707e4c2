// A user-supplied predicate (an SBOM, a scan result, anything with a type URI), given inline or
// as a file. It must be a JSON object and is size-limited like GitHub's attest action's.

import { readFile, stat } from 'node:fs/promises';
import { ProvenanceError } from '../errors.ts';
import { resolveInside } from '../workspace.ts';

export const MAX_PREDICATE_BYTES = 16 * 1024 * 1024;

export function parsePredicate(text: string, origin: string): object {
  const value = parseDocument(text, origin);
  if (Array.isArray(value)) {
    throw new ProvenanceError('PREDICATE_INVALID', `${origin} is JSON but not an object`, 'A predicate is a JSON object, e.g. {"key": "value"}');
  }
  return value;
}

/** A JSON object or list (a stage preset may take a tool's list output), within the size limit. */
export function parseDocument(text: string, origin: string): object {
  if (Buffer.byteLength(text) > MAX_PREDICATE_BYTES) {
    throw new ProvenanceError('PREDICATE_INVALID', `${origin} is larger than ${MAX_PREDICATE_BYTES} bytes`, 'Attest a smaller document, or attest its digest as a subject');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ProvenanceError('PREDICATE_INVALID', `${origin} is not valid JSON: ${reason}`, 'Fix the JSON (a predicate is a JSON object)');
  }
  if (typeof value !== 'object' || value === null) {
    throw new ProvenanceError('PREDICATE_INVALID', `${origin} is JSON but not an object`, 'A predicate is a JSON object, e.g. {"key": "value"}');
  }
  return value;
}

export async function readPredicateFile(input: string, workspace: string, options: { allowList?: boolean } = {}): Promise<object> {
  const file = resolveInside('predicate-path', input, workspace);
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) {
    throw new ProvenanceError('SUBJECT_NOT_FOUND', `predicate-path: "${input}" is not a readable file`, 'Check the path (relative paths are resolved against the workspace)');
  }
  if (info.size > MAX_PREDICATE_BYTES) {
    throw new ProvenanceError('PREDICATE_INVALID', `predicate-path: "${input}" is ${info.size} bytes, more than ${MAX_PREDICATE_BYTES}`, 'Attest a smaller document, or attest its digest as a subject');
  }
  const text = await readFile(file, 'utf8');
  return options.allowList ? parseDocument(text, `predicate-path "${input}"`) : parsePredicate(text, `predicate-path "${input}"`);
}
