// Shared reading helpers for the stage presets. Stage documents are tool output the user hands
// us, so every read is defensive: fields are read only when they are the object's own (never
// `constructor` or `__proto__` from the prototype), every refusal says where it looked and what it
// found, and descriptions of found values are short, so a hostile document cannot flood the log.

import { ProvenanceError } from '../../common/errors.ts';
import { isObject } from '../../common/json.ts';
import { untrusted } from '../../output/untrusted.ts';

/** A field of a parsed JSON object, only if it is the object's own. */
export function own(obj: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** `obj[key]` when it is an object (not an array), else undefined. */
export function ownObject(obj: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const value = own(obj, key);
  return isObject(value) ? value : undefined;
}

/** `obj[key]` when it is a string, else undefined. */
export function ownString(obj: Record<string, unknown>, key: string): string | undefined {
  const value = own(obj, key);
  return typeof value === 'string' ? value : undefined;
}

const MAX_SHOWN = 120;

/** `text` quoted as a JSON string literal would be, through untrusted() (it is read from a tool's document), cut to a readable length. */
export function quote(text: string): string {
  const cut = text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
  return `"${untrusted(cut.replace(/["\\]/g, '\\$&'), 8 * MAX_SHOWN)}"`;
}

/** A short description of a JSON value, for "found ..." in messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${quote(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : `an array of ${value.length} entries`;
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty object';
    const shown = keys.slice(0, 5).map(quote).join(', ');
    return keys.length > 5
      ? `an object with keys ${shown} and ${keys.length - 5} more`
      : `an object with keys ${shown}`;
  }
  return typeof value;
}

export function invalid(origin: string, message: string, hint: string): ProvenanceError {
  return new ProvenanceError('PREDICATE_INVALID', `${origin}: ${message}`, hint);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export function isTimestamp(value: unknown): value is string {
  return typeof value === 'string' && RFC3339.test(value) && !Number.isNaN(Date.parse(value));
}

/** An RFC 3339 time in UTC with a "Z", as in-toto's Timestamp field type asks. */
export function utc(value: string): string {
  return new Date(value).toISOString();
}

/** `${serverURL}/${repository}/actions/runs/${runId}/attempts/${runAttempt}` */
export function runURL(github: { serverURL: string; repository: string; runId: string; runAttempt: string }): string {
  return `${github.serverURL.replace(/\/+$/, '')}/${github.repository}/actions/runs/${github.runId}/attempts/${github.runAttempt}`;
}

/** Checks `value` is an array of strings, or refuses naming `path`. */
export function requireStringArray(value: unknown, path: string, origin: string, hint: string): string[] {
  if (!Array.isArray(value))
    throw invalid(origin, `expected ${path} to be an array of strings, found ${describe(value)}`, hint);
  for (let i = 0; i < value.length; i++) {
    const entry: unknown = value[i];
    if (typeof entry !== 'string')
      throw invalid(origin, `expected ${path}[${i}] to be a string, found ${describe(entry)}`, hint);
  }
  return value as string[];
}
