// Reading bundles from the files `bundle-path` names: a `.sigstore.json` (one bundle, often
// pretty-printed), a `.json`, or JSON Lines (`.intoto.jsonl`, `.jsonl`: one bundle per line, as
// GitHub's attest action and slsa-github-generator write them). Every bundle remembers where it
// came from, for the report. Unparseable content does not stop the run: it becomes a bundle that
// fails `bundle-format`, reported beside the others.

import { readFile } from 'node:fs/promises';
import { ProvenanceError } from '../errors.ts';
import { parseJSON } from '../json.ts';
import { matchPaths } from '../subjects/match-paths.ts';
import { openWorkspace, relativeName } from '../subjects/workspace.ts';
import type { CheckFailure } from './types.ts';

/** Bundles are small (a few KiB; a statement with 1024 subjects is under 200 KiB). */
export const MAX_BUNDLE_FILE_BYTES = 256 * 1024 * 1024;

export interface LoadedBundle {
  /** Where it came from: `path` or `path:line` (workspace-relative). */
  source: string;
  json: unknown;
  /** Set when the text is not JSON: the bundle fails before any check runs. */
  failure: CheckFailure | undefined;
}

export async function loadBundleFiles(patterns: string, workspace: string): Promise<LoadedBundle[]> {
  if (!patterns.trim()) {
    throw new ProvenanceError('INPUT_CONFLICT', 'bundle-path is required in verify mode', 'Name the bundle files, e.g. "bundle-path: dist/*.sigstore.json" or the .jsonl your attest step wrote');
  }
  const ws = await openWorkspace(workspace);
  const files = await matchPaths(ws, patterns, undefined, 'bundle-path');
  const loaded: LoadedBundle[] = [];
  for (const file of files) {
    const label = relativeName(ws, file.path);
    if (file.size > MAX_BUNDLE_FILE_BYTES) {
      throw new ProvenanceError('INPUT_INVALID', `bundle-path file "${label}" is ${file.size} bytes, more than ${MAX_BUNDLE_FILE_BYTES}`, 'Point bundle-path at Sigstore bundle files (.sigstore.json, .jsonl)');
    }
    loaded.push(...parseBundleText(await readFile(file.real, 'utf8'), label));
  }
  return loaded;
}

/** One bundle if the whole text is one JSON value; otherwise JSON Lines, one bundle per non-blank line. */
export function parseBundleText(text: string, label: string): LoadedBundle[] {
  const whole = parseJSON(text);
  if (whole.ok) return [{ source: label, json: whole.value, failure: undefined }];
  const bundles: LoadedBundle[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const source = `${label}:${i + 1}`;
    const parsed = parseJSON(line);
    bundles.push(
      parsed.ok
        ? { source, json: parsed.value, failure: undefined }
        : { source, json: undefined, failure: { check: 'bundle-format', expected: 'a Sigstore bundle as JSON (one per line in a .jsonl file)', found: `invalid JSON (${parsed.reason})` } },
    );
  });
  if (bundles.length === 0) {
    bundles.push({ source: label, json: undefined, failure: { check: 'bundle-format', expected: 'a Sigstore bundle as JSON', found: 'an empty file' } });
  }
  return bundles;
}

/** A DSSE envelope on its own: signed, but with no certificate or log entry to check it offline. */
export function isBareEnvelope(json: unknown): boolean {
  if (typeof json !== 'object' || json === null) return false;
  const o = json as Record<string, unknown>;
  return o['mediaType'] === undefined && typeof o['payloadType'] === 'string' && typeof o['payload'] === 'string' && Array.isArray(o['signatures']);
}

/**
 * The subjects a bundle's statement claims, read WITHOUT verifying anything. Used only to
 * attribute a bundle to artifacts in the report and to choose which digests to compute; every
 * decision is made on the verified statement.
 */
export function claimedStatement(json: unknown): { subjects: { name: string; digest: Record<string, string> }[]; predicateType: string | undefined } {
  const none = { subjects: [], predicateType: undefined };
  try {
    // A bundle's envelope, or a bare DSSE envelope (older slsa-github-generator releases).
    const outer = json as { dsseEnvelope?: { payload?: unknown }; payload?: unknown } | undefined;
    const envelope = outer?.dsseEnvelope ?? outer;
    if (typeof envelope?.payload !== 'string') return none;
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as { subject?: unknown; predicateType?: unknown };
    const predicateType = typeof statement.predicateType === 'string' ? statement.predicateType : undefined;
    if (!Array.isArray(statement.subject)) return { subjects: [], predicateType };
    const subjects = statement.subject.filter(
      (s: unknown): s is { name: string; digest: Record<string, string> } =>
        typeof s === 'object' && s !== null && typeof (s as { digest?: unknown }).digest === 'object' && (s as { digest?: unknown }).digest !== null,
    );
    return { subjects, predicateType };
  } catch {
    return none;
  }
}

export const claimedSubjects = (json: unknown): { name: string; digest: Record<string, string> }[] => claimedStatement(json).subjects;
