// Compiling a content policy: each expression is measured, parsed, checked for unknown names and
// planned when the inputs are read, before any bundle is, so a typo fails the step at once with
// the place it is at (`cel, expression 2, column 14: …`). What comes out runs over one
// attestation's variables (evaluate.ts). Pure.

import { celEnv, parse, plan, type CelEnv, type CelInput, type CelResult } from '@bufbuild/cel';
import { ProvenanceError } from '../../../common/errors.ts';
import { BUDGET_FUNCS, withCharges } from './budget.ts';
import { STRICT_EQUALITY } from './strict-equality.ts';
import { MAX_CEL_EXPRESSION_BYTES, MAX_CEL_EXPRESSIONS } from './limits.ts';
import { unknownName } from './names.ts';
import { CEL_VARIABLES } from './types.ts';

/** One expression, ready to run. Prints (and serialises) as the text the user wrote. */
export class CelExpression {
  readonly text: string;
  /** Where it was written: `cel`, `policy file p.yml, line 4`, `require-chain, stage 3 ("vulns")`. */
  readonly origin: string;
  /**
   * The values it reads, as paths from a variable (`stages.vex.notAffected`, `predicateType`),
   * whose values a failure shows: what the expression saw, not the whole predicate.
   */
  readonly paths: readonly (readonly string[])[];
  readonly #run: (bindings: Record<string, CelInput>) => CelResult;

  constructor(
    text: string,
    origin: string,
    paths: readonly (readonly string[])[],
    run: (bindings: Record<string, CelInput>) => CelResult,
  ) {
    this.text = text;
    this.origin = origin;
    this.paths = paths;
    this.#run = run;
  }

  run(bindings: Record<string, CelInput>): CelResult {
    return this.#run(bindings);
  }

  toString(): string {
    return this.text;
  }

  toJSON(): string {
    return this.text;
  }
}

// One environment for every expression: the standard functions and the two budget charges; the
// variables are bound per evaluation (all dynamic: JSON has no schema to type them by).
// Made on first use, so a run without expressions does no CEL work at all.
let env: CelEnv | undefined;
const environment = (): CelEnv => (env ??= celEnv({ funcs: [...BUDGET_FUNCS, ...STRICT_EQUALITY] }));
// A call node to copy when wrapping comprehensions in charges (budget.ts).
let callTemplate: ReturnType<typeof parse>['expr'] | undefined;
const template = (): ReturnType<typeof parse>['expr'] => (callTemplate ??= parse('f(x)').expr);

const HINT = 'Write a CEL expression over predicate, predicateType, subject, certificate and stages (see docs/cel.md)';

export interface CompileOptions {
  /** The chain's earlier stages, which `stages.NAME` may name (none outside a chain). */
  stageLabels?: readonly string[];
}

/** Compiles every expression of one rule; `origin` names the rule in messages. */
export function compileCelRule(
  texts: readonly string[],
  origin: string,
  options: CompileOptions = {},
): CelExpression[] {
  if (texts.length > MAX_CEL_EXPRESSIONS) {
    throw new ProvenanceError(
      'CEL_INVALID',
      `${origin}: ${texts.length} expressions, more than ${MAX_CEL_EXPRESSIONS}`,
      'Join conditions with && inside fewer expressions',
    );
  }
  return texts.map((text, i) =>
    compileCel(text, texts.length > 1 ? `${origin}, expression ${i + 1}` : origin, options),
  );
}

export function compileCel(text: string, origin: string, options: CompileOptions = {}): CelExpression {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_CEL_EXPRESSION_BYTES) {
    throw new ProvenanceError(
      'CEL_INVALID',
      `${origin}: expression is ${bytes} bytes, more than ${MAX_CEL_EXPRESSION_BYTES}`,
      'Keep each expression under 64 KiB (docs/limits.md); split it into several',
    );
  }
  if (text.trim() === '') throw new ProvenanceError('CEL_INVALID', `${origin}: empty expression`, HINT);
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(text);
  } catch (err) {
    throw new ProvenanceError('CEL_INVALID', `${origin}: ${syntaxMessage(err, text)}`, HINT, { cause: err });
  }
  const problem = unknownName(parsed, {
    hasFunction: (name) => environment().funcs.find(name) !== undefined && !name.startsWith('@cost_'),
    stageLabels: options.stageLabels ?? [],
  });
  if (problem) {
    throw new ProvenanceError('CEL_INVALID', `${origin}: ${place(text, problem.offset)}${problem.message}`, HINT);
  }
  const paths = readPaths(parsed.expr);
  let run: (bindings: Record<string, CelInput>) => CelResult;
  try {
    run = plan(environment(), { ...parsed, expr: withCharges(parsed.expr, template()) });
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ProvenanceError('CEL_INVALID', `${origin}: ${reason}`, HINT, { cause: err });
  }
  return new CelExpression(text, origin, paths, run);
}

/** The parser's message, which already says line and column (`<input>:1:7: …`), in our words. */
function syntaxMessage(err: unknown, text: string): string {
  if (err instanceof RangeError) return 'expression is nested too deeply to parse';
  const e = err as { message?: unknown; location?: { start?: { line?: unknown; column?: unknown } } };
  const line = e.location?.start?.line;
  const column = e.location?.start?.column;
  const raw = typeof e.message === 'string' ? e.message.replace(/^<input>:\d+:\d+:\s*/, '') : String(err);
  if (typeof line !== 'number' || typeof column !== 'number') return `syntax error: ${raw}`;
  return `syntax error at ${text.includes('\n') ? `line ${line}, ` : ''}column ${column}: ${raw}`;
}

/** "column N: " (with the line when the expression has several) for a parser offset. */
function place(text: string, offset: number | undefined): string {
  if (offset === undefined) return '';
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `${text.includes('\n') ? `line ${line}, ` : ''}column ${column}: `;
}

/** A failure shows at most this many of the values an expression reads. */
const MAX_SHOWN_PATHS = 8;

/**
 * The longest field paths from a variable the expression reads (`a.b.c` of `a.b.c.startsWith(x)`),
 * in order, each once; comprehension variables are not variables and are skipped.
 */
function readPaths(root: ReturnType<typeof parse>['expr'] | undefined): string[][] {
  const found = new Map<string, string[]>();
  const declared = new Set<string>(CEL_VARIABLES);
  const visit = (e: Expr | undefined, scope: ReadonlySet<string>): void => {
    if (e === undefined || found.size >= MAX_SHOWN_PATHS) return;
    const kind = e.exprKind;
    if (kind.case === 'identExpr' || fieldStep(e) !== undefined) {
      const path: string[] = [];
      let at: Expr | undefined = e;
      for (let step = fieldStep(at); step !== undefined; step = fieldStep(at)) {
        path.unshift(step.key);
        at = step.operand;
      }
      if (at?.exprKind.case === 'identExpr') {
        const name = at.exprKind.value.name;
        if (declared.has(name) && !scope.has(name)) found.set(JSON.stringify([name, ...path]), [name, ...path]);
        return;
      }
      return visit(at, scope);
    }
    switch (kind.case) {
      case 'selectExpr': // has(a.b): what it tests is a.b's parent
        return visit(kind.value.operand, scope);
      case 'callExpr':
        visit(kind.value.target, scope);
        for (const a of kind.value.args) visit(a, scope);
        return;
      case 'listExpr':
        for (const a of kind.value.elements) visit(a, scope);
        return;
      case 'structExpr':
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === 'mapKey') visit(entry.keyKind.value, scope);
          visit(entry.value, scope);
        }
        return;
      case 'comprehensionExpr': {
        const c = kind.value;
        visit(c.iterRange, scope);
        const inner = new Set([...scope, c.iterVar, c.iterVar2, c.accuVar]);
        visit(c.loopStep, inner);
        return;
      }
      case 'constExpr':
      case undefined:
        return;
    }
  };
  visit(root, new Set());
  return [...found.values()];
}

type Expr = NonNullable<ReturnType<typeof parse>['expr']>;

/** One step of a field path: `x.key`, or `x['key']` with a string constant (for URI-named fields). */
function fieldStep(e: Expr | undefined): { key: string; operand: Expr | undefined } | undefined {
  const kind = e?.exprKind;
  if (kind?.case === 'selectExpr' && !kind.value.testOnly)
    return { key: kind.value.field, operand: kind.value.operand };
  if (kind?.case === 'callExpr' && kind.value.function === '_[_]' && kind.value.args.length === 2) {
    const [operand, index] = kind.value.args;
    if (index?.exprKind.case === 'constExpr' && index.exprKind.value.constantKind.case === 'stringValue')
      return { key: index.exprKind.value.constantKind.value, operand };
  }
  return undefined;
}
