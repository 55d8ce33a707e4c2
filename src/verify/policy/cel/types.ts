// The vocabulary of content policies (CEL expressions over what an attestation says): an
// expression compiled once, when the inputs are read, and the result of evaluating it against one
// attestation, as the JSON report keeps it. Shared by compile, evaluate and the report, so none
// imports another just for a type.

/** The variables an expression may name; anything else is refused when it is compiled. */
export const CEL_VARIABLES = ['predicate', 'predicateType', 'subject', 'certificate', 'stages'] as const;
export type CelVariable = (typeof CEL_VARIABLES)[number];

/** What an expression evaluated to on one attestation: a pass is `true` and nothing else. */
export interface ContentResult {
  /** The expression as written. */
  expression: string;
  /** true and false as evaluated; `error` when evaluation failed (no such key, wrong type, over the cost limit, not a bool). */
  result: boolean | 'error';
  /** Why it failed, in words (absent on a pass). */
  message?: string;
  /** The values the expression reads, by path (`stages.vex.notAffected`), as it saw them (JSON text, trimmed). Absent on a pass. */
  values?: Record<string, string>;
}

/** The values an expression runs over (see docs/cel.md for each one's shape). */
export type CelBindings = Record<CelVariable, unknown>;
