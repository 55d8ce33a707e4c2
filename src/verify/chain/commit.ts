// The source commit a chain starts at, for the chart's first node ("commit 1a2b3c4"): read from
// the build provenance the chain verified, which names the commit it built. SLSA provenance v1
// puts it in buildDefinition.resolvedDependencies (the source entry's digest.gitCommit, or sha1),
// v0.2 in materials. Only a verified, passing statement is read; the value is a hex digest or
// nothing, so it is safe to show. Pure.

import { isObject, ownValue } from '../../common/json.ts';
import { SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1 } from '../../stages/presets.ts';
import type { InTotoStatement } from '../types.ts';

/** A git object id: SHA-1 (40 hex) or SHA-256 (64 hex). */
const GIT_COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** The commit the provenance says it built, or undefined (not provenance, or no commit named). */
export function provenanceCommit(statement: InTotoStatement): string | undefined {
  const predicate = isObject(statement.predicate) ? statement.predicate : undefined;
  if (predicate === undefined) return undefined;
  let entries: unknown;
  if (statement.predicateType === SLSA_PROVENANCE_V1) {
    const definition = ownValue(predicate, 'buildDefinition');
    entries = isObject(definition) ? ownValue(definition, 'resolvedDependencies') : undefined;
  } else if (statement.predicateType === SLSA_PROVENANCE_V02) {
    entries = ownValue(predicate, 'materials');
  }
  if (!Array.isArray(entries)) return undefined;
  for (const entry of entries as unknown[]) {
    const digest = isObject(entry) ? ownValue(entry, 'digest') : undefined;
    if (!isObject(digest)) continue;
    for (const key of ['gitCommit', 'sha1']) {
      const value = ownValue(digest, key);
      if (typeof value === 'string' && GIT_COMMIT.test(value)) return value;
    }
  }
  return undefined;
}
