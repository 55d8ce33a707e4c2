// The bounds on a content policy, so neither a policy nor the attestations it reads can make a
// verify run hang or exhaust memory. Each is listed with its reason in docs/limits.md.
// @bufbuild/cel has no cost limit of its own (unlike cel-go), so compile.ts adds one: every
// comprehension step (all, exists, exists_one, map, filter) and every element of a
// comprehension's range is charged to a budget per evaluation; an expression without
// comprehensions costs at most its own size times the data's, and the data is bounded by the
// bundle size.

/** The longest expression accepted: refused before parsing, so the parser never sees more. */
export const MAX_CEL_EXPRESSION_BYTES = 64 * 1024;

/** Comprehension steps (and range elements) one evaluation of one expression may take. */
export const MAX_CEL_STEPS = 200_000;

/** Expressions in one rule (the `cel` input, a policy file, one stage): more is not a policy but a program. */
export const MAX_CEL_EXPRESSIONS = 64;
