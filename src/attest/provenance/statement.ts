// in-toto Statement v1: the subjects (what was built) bound to a predicate (what we say about
// them). Large releases are split into several statements rather than refused: each holds at
// most MAX_SUBJECTS_PER_STATEMENT subjects, the size GitHub's attestation store accepts.

import type { Subject } from '../../subjects/index.ts';

export const INTOTO_STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const MAX_SUBJECTS_PER_STATEMENT = 1024;

/** A subject as signed: a Source VSA's commit also carries annotations (source_refs). */
export type StatementSubject = Subject & { annotations?: Record<string, unknown> };

export interface Statement {
  _type: typeof INTOTO_STATEMENT_V1;
  subject: StatementSubject[];
  predicateType: string;
  predicate: object;
}

export function buildStatements(
  subjects: readonly StatementSubject[],
  predicateType: string,
  predicate: object,
  chunkSize = MAX_SUBJECTS_PER_STATEMENT,
): Statement[] {
  const statements: Statement[] = [];
  for (let i = 0; i < subjects.length; i += chunkSize) {
    statements.push({
      _type: INTOTO_STATEMENT_V1,
      subject: subjects.slice(i, i + chunkSize).map((s) => ({
        name: s.name,
        digest: { ...s.digest },
        ...(s.annotations === undefined ? {} : { annotations: s.annotations }),
      })),
      predicateType,
      predicate,
    });
  }
  return statements;
}

/** The exact bytes signed: the DSSE payload. */
export function statementBytes(statement: Statement): Buffer {
  return Buffer.from(JSON.stringify(statement), 'utf8');
}
