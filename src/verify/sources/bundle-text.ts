// The text of bundle files, wherever it was read (files, registries, GitHub, workflow artifacts):
// a `.sigstore.json` (one bundle, often pretty-printed), a `.json`, or JSON Lines (`.intoto.jsonl`,
// `.jsonl`: one bundle per line, as GitHub's attest action and slsa-github-generator write them),
// and what a bundle claims before any check (its statement and subjects). Unparseable content does
// not stop the run: it becomes a bundle that fails `bundle-format`, reported beside the others. Pure.

import { exceedsDepth, parseJSON } from '../../common/json.ts';
import type { CheckFailure } from '../types.ts';
import { claimedSubject } from '../../subjects/claimed.ts';

/** Bundles are small (a few KiB; a statement with 1024 subjects is under 200 KiB). */
export const MAX_BUNDLE_FILE_BYTES = 256 * 1024 * 1024;
/** Lines of one JSON Lines file: far more bundles than any release has, few enough to hold in memory. */
export const MAX_BUNDLES_PER_FILE = 100_000;
/**
 * Nesting of one bundle's JSON. A bundle nests 7 levels deep (the DSSE statement is base64, not
 * nested); deeper JSON is refused before the parsers' recursive walks could overflow the stack.
 */
export const MAX_BUNDLE_DEPTH = 64;

export interface LoadedBundle {
  /** Where it came from: `path` or `path:line` (workspace-relative). */
  source: string;
  json: unknown;
  /** Set when the text is not JSON: the bundle fails before any check runs. */
  failure: CheckFailure | undefined;
  /** The DSSE envelope's text as logged, where the source keeps it apart (cosign .att layers). */
  loggedEnvelope?: string;
}

/**
 * One bundle if the whole text is one JSON value; otherwise JSON Lines, one bundle per non-blank line.
 * A text over MAX_BUNDLE_FILE_BYTES or MAX_BUNDLES_PER_FILE lines is one failed bundle, refused before
 * it is parsed or split.
 */
export function parseBundleText(text: string, label: string): LoadedBundle[] {
  const refused = (expected: string, found: string): LoadedBundle[] => [
    { source: label, json: undefined, failure: { check: 'bundle-format', expected, found } },
  ];
  // UTF-8 never takes fewer bytes than UTF-16 code units, so the length alone refuses most.
  if (text.length > MAX_BUNDLE_FILE_BYTES || Buffer.byteLength(text, 'utf8') > MAX_BUNDLE_FILE_BYTES) {
    const size =
      text.length > MAX_BUNDLE_FILE_BYTES
        ? `more than ${MAX_BUNDLE_FILE_BYTES}`
        : String(Buffer.byteLength(text, 'utf8'));
    return refused(`a bundle file of at most ${MAX_BUNDLE_FILE_BYTES} bytes`, `${size} bytes`);
  }
  const whole = parseJSON(text);
  if (whole.ok) return [loadedJSON(label, whole.value)];
  const lineCount = countLines(text);
  if (lineCount > MAX_BUNDLES_PER_FILE)
    return refused(`a JSON Lines file of at most ${MAX_BUNDLES_PER_FILE} bundles`, `${lineCount} lines`);
  const bundles: LoadedBundle[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const source = `${label}:${i + 1}`;
    const parsed = parseJSON(line);
    bundles.push(
      parsed.ok
        ? loadedJSON(source, parsed.value)
        : {
            source,
            json: undefined,
            failure: {
              check: 'bundle-format',
              expected: 'a Sigstore bundle as JSON (one per line in a .jsonl file)',
              found: `invalid JSON (${parsed.reason})`,
            },
          },
    );
  });
  if (bundles.length === 0) {
    bundles.push({
      source: label,
      json: undefined,
      failure: { check: 'bundle-format', expected: 'a Sigstore bundle as JSON', found: 'an empty file' },
    });
  }
  return bundles;
}

/** A bundle as parsed JSON from any source, refused (as bundle-format) when it nests too deep to check. */
export function loadedJSON(source: string, json: unknown): LoadedBundle {
  const problem = bundleJSONProblem(json);
  return problem === undefined ? { source, json, failure: undefined } : { source, json: undefined, failure: problem };
}

// Lines as split('\n') would make them, less the empty one after a final newline; without splitting.
function countLines(text: string): number {
  let count = text.endsWith('\n') ? 0 : 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/**
 * Why parsed JSON cannot go on to the bundle parser at all (nested deeper than MAX_BUNDLE_DEPTH),
 * or undefined. Every source of bundles (files, releases, the attestations API, registries) goes
 * through this, by loadedJSON, before verification.
 */
function bundleJSONProblem(json: unknown): CheckFailure | undefined {
  if (!exceedsDepth(json, MAX_BUNDLE_DEPTH)) return undefined;
  return {
    check: 'bundle-format',
    expected: `a Sigstore bundle (JSON nested at most ${MAX_BUNDLE_DEPTH} levels)`,
    found: 'JSON nested deeper',
  };
}

/** A DSSE envelope on its own: signed, but with no certificate or log entry to check it offline. */
export function isBareEnvelope(json: unknown): boolean {
  if (typeof json !== 'object' || json === null) return false;
  const o = json as Record<string, unknown>;
  return (
    o['mediaType'] === undefined &&
    typeof o['payloadType'] === 'string' &&
    typeof o['payload'] === 'string' &&
    Array.isArray(o['signatures'])
  );
}

/**
 * The subjects a bundle's statement claims, read WITHOUT verifying anything. Used only to
 * attribute a bundle to artifacts in the report and to choose which digests to compute; every
 * decision is made on the verified statement.
 */
export function claimedStatement(json: unknown): {
  subjects: { name: string; digest: Record<string, string> }[];
  predicateType: string | undefined;
} {
  const none = { subjects: [], predicateType: undefined };
  try {
    // A bundle's envelope, or a bare DSSE envelope (older slsa-github-generator releases).
    const outer = json as { dsseEnvelope?: { payload?: unknown }; payload?: unknown } | undefined;
    const envelope = outer?.dsseEnvelope ?? outer;
    if (typeof envelope?.payload !== 'string') return none;
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as {
      subject?: unknown;
      predicateType?: unknown;
    };
    const predicateType = typeof statement.predicateType === 'string' ? statement.predicateType : undefined;
    if (!Array.isArray(statement.subject)) return { subjects: [], predicateType };
    return { subjects: (statement.subject as unknown[]).flatMap(claimedSubject), predicateType };
  } catch {
    return none;
  }
}

export const claimedSubjects = (json: unknown): { name: string; digest: Record<string, string> }[] =>
  claimedStatement(json).subjects;
