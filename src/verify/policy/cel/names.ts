// The names an expression uses, checked before any bundle is read: @bufbuild/cel's own checker
// covers only constants and identifiers, so this walk over the parsed expression refuses a
// variable that is not declared (a typo such as `predicat` would otherwise be an evaluation
// error on every bundle), a function the environment does not have, and `stages.NAME` for a
// stage that does not come earlier in the chain. Each finding carries the character offset the
// parser recorded, for the column in the message. Pure.

import type { parse } from '@bufbuild/cel';
import { CEL_VARIABLES } from './types.ts';

type Parsed = ReturnType<typeof parse>;
export type CelExpr = Parsed['expr'];

/** Identifiers CEL resolves to types (`type(x) == string`), not variables. */
const TYPE_NAMES = new Set([
  'int',
  'uint',
  'double',
  'bool',
  'string',
  'bytes',
  'list',
  'map',
  'null_type',
  'type',
  'dyn',
]);

/** Calls the planner handles itself rather than through the function table. */
const OPERATORS = new Set([
  '_&&_',
  '_||_',
  '_?_:_',
  '_[_]',
  '_[?_]',
  '_?._',
  '@not_strictly_false',
  '__not_strictly_false__',
]);

export interface NameProblem {
  message: string;
  /** Character offset into the expression, when the parser recorded one. */
  offset: number | undefined;
}

export interface NameRules {
  hasFunction: (name: string) => boolean;
  /** The labels `stages.NAME` may name (the chain's earlier stages); undefined: `stages` is empty here. */
  stageLabels: readonly string[];
}

/** The first name the expression must not use, or undefined when every name is known. */
export function unknownName(parsed: Parsed, rules: NameRules): NameProblem | undefined {
  const positions = parsed.sourceInfo?.positions ?? {};
  const at = (e: CelExpr): number | undefined => positions[Number(e.id)];
  const declared = new Set<string>(CEL_VARIABLES);

  const walk = (e: CelExpr | undefined, scope: ReadonlySet<string>): NameProblem | undefined => {
    if (e === undefined) return undefined;
    const kind = e.exprKind;
    switch (kind.case) {
      case 'identExpr': {
        const name = kind.value.name;
        if (scope.has(name) || declared.has(name) || TYPE_NAMES.has(name)) return undefined;
        return {
          message: `unknown variable "${name}" (known: ${CEL_VARIABLES.join(', ')})`,
          offset: at(e),
        };
      }
      case 'selectExpr': {
        const operand = kind.value.operand;
        if (
          operand?.exprKind.case === 'identExpr' &&
          operand.exprKind.value.name === 'stages' &&
          !scope.has('stages') &&
          !kind.value.testOnly &&
          !rules.stageLabels.includes(kind.value.field)
        ) {
          const earlier = rules.stageLabels.length === 0 ? 'none' : rules.stageLabels.join(', ');
          return {
            message: `stages.${kind.value.field} is not an earlier stage of the chain (earlier stages: ${earlier})`,
            offset: at(e),
          };
        }
        return walk(operand, scope);
      }
      case 'callExpr': {
        const call = kind.value;
        if (!OPERATORS.has(call.function) && !rules.hasFunction(call.function))
          return { message: `unknown function "${call.function}"`, offset: at(e) };
        for (const arg of [call.target, ...call.args]) {
          const problem = walk(arg, scope);
          if (problem) return problem;
        }
        return undefined;
      }
      case 'listExpr':
        for (const element of kind.value.elements) {
          const problem = walk(element, scope);
          if (problem) return problem;
        }
        return undefined;
      case 'structExpr':
        for (const entry of kind.value.entries) {
          const key = entry.keyKind.case === 'mapKey' ? entry.keyKind.value : undefined;
          const problem = walk(key, scope) ?? walk(entry.value, scope);
          if (problem) return problem;
        }
        return undefined;
      case 'comprehensionExpr': {
        const c = kind.value;
        const outer = walk(c.iterRange, scope) ?? walk(c.accuInit, scope);
        if (outer) return outer;
        const inner = new Set([...scope, c.iterVar, c.accuVar, ...(c.iterVar2 === '' ? [] : [c.iterVar2])]);
        return (
          walk(c.loopCondition, inner) ?? walk(c.loopStep, inner) ?? walk(c.result, new Set([...scope, c.accuVar]))
        );
      }
      case 'constExpr':
      case undefined:
        return undefined;
    }
  };
  return walk(parsed.expr, new Set());
}
