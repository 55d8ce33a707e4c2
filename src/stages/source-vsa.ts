// Source VSAs (SLSA 1.2 source track) and the commit that joins them to a build. A Source VSA is a
// verification_summary/v1 whose subject is a revision (digest `gitCommit`) rather than an artifact;
// a policy VSA about an artifact has the same predicate type, so the two are told apart here, by
// subject, and each chain stage takes only its own kind. The build names its commit in
// buildDefinition.resolvedDependencies (SLSA provenance v1; attest mode writes it first) or in
// materials (v0.2), and that digest is the join: no `links` field is needed. Pure.

import { isObject, ownValue } from '../common/json.ts';
import { SLSA_PROVENANCE_V02, SLSA_PROVENANCE_V1, VSA_V1 } from './presets.ts';

export const GIT_COMMIT = 'gitCommit';
const COMMIT_HEX = /^[0-9a-f]{40}([0-9a-f]{24})?$/; // SHA-1 or SHA-256 object names

/** The commit (lowercase hex) of each subject that names one by a well-formed gitCommit digest. */
export function subjectCommits(subjects: readonly { digest: Record<string, string> }[]): string[] {
  return subjects.flatMap((s) => {
    const commit = ownValue(s.digest, GIT_COMMIT);
    return typeof commit === 'string' && COMMIT_HEX.test(commit.toLowerCase()) ? [commit.toLowerCase()] : [];
  });
}

/**
 * Whether a statement is a Source VSA: a VSA with a gitCommit subject. Such a statement is about a
 * revision; it never stands for an artifact's policy stage, and a VSA about an artifact never
 * stands for a source stage.
 */
export function isSourceVSA(predicateType: string, subjects: readonly { digest: Record<string, string> }[]): boolean {
  return predicateType === VSA_V1 && subjectCommits(subjects).length > 0;
}

/** The source commits a build provenance names (lowercase hex); empty for any other predicate. */
export function buildCommits(predicateType: string, predicate: unknown): string[] {
  if (!isObject(predicate)) return [];
  const entries: unknown[] = [];
  if (predicateType === SLSA_PROVENANCE_V1) {
    const definition = ownValue(predicate, 'buildDefinition');
    const deps = isObject(definition) ? ownValue(definition, 'resolvedDependencies') : undefined;
    if (Array.isArray(deps)) entries.push(...(deps as unknown[]));
  } else if (predicateType === SLSA_PROVENANCE_V02) {
    const materials = ownValue(predicate, 'materials');
    if (Array.isArray(materials)) entries.push(...(materials as unknown[]));
  } else {
    return [];
  }
  const commits = new Set<string>();
  for (const entry of entries) {
    const digest = isObject(entry) ? ownValue(entry, 'digest') : undefined;
    if (!isObject(digest)) continue;
    // v0.2 materials name a git commit by sha1 (slsa-github-generator) or gitCommit.
    for (const alg of predicateType === SLSA_PROVENANCE_V02 ? [GIT_COMMIT, 'sha1'] : [GIT_COMMIT]) {
      const hex = ownValue(digest, alg);
      if (typeof hex === 'string' && COMMIT_HEX.test(hex.toLowerCase())) commits.add(hex.toLowerCase());
    }
  }
  return [...commits];
}
