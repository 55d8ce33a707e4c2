// The source commit a chain starts at, for the chart's first node ("commit 1a2b3c4"): read from
// the build provenance the chain verified, which names the commit it built, the same way the
// source stage joins the build (stages/source-vsa.ts). Only a verified, passing statement is read;
// the value is a hex digest or nothing, so it is safe to show. Pure.

import { buildCommits } from '../../stages/source-vsa.ts';
import type { InTotoStatement } from '../types.ts';

/** The commit the provenance says it built, or undefined (not provenance, or no commit named). */
export function provenanceCommit(statement: InTotoStatement): string | undefined {
  return buildCommits(statement.predicateType, statement.predicate)[0];
}
