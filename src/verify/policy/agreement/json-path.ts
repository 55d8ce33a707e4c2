// Reading a predicate we have not validated: `at(p, 'runDetails', 'builder', 'id')` walks
// objects and arrays and yields undefined where the path does not exist, so a missing field and
// a field of the wrong shape are told apart by the caller, never by a thrown TypeError.

import { exceedsDepth } from '../../../common/json.ts';

export function at(root: unknown, ...path: readonly (string | number)[]): unknown {
  let node: unknown = root;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(node)) return undefined;
      node = (node as unknown[])[key];
    } else {
      if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
      node = Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
    }
  }
  return node;
}

/** A value as shown in a failure: strings as they are, anything else as (shortened) JSON. */
export function shown(value: unknown): string {
  if (typeof value === 'string') return value;
  // A signed predicate may hold anything: JSON.stringify recurses (a RangeError past a few thousand
  // levels), and String() of an object whose "toString" is not a function throws.
  if (exceedsDepth(value, 32))
    return Array.isArray(value)
      ? 'a list nested more than 32 levels deep'
      : 'an object nested more than 32 levels deep';
  const json = JSON.stringify(value) ?? typeof value;
  return json.length > 200 ? `${json.slice(0, 197)}...` : json;
}
