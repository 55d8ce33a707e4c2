// The evaluation cost limit @bufbuild/cel lacks (cel-go has one): the parsed expression is
// rewritten so that every comprehension charges a shared budget, its range's size when it
// starts and one step per iteration; past MAX_CEL_STEPS the step answers an error, which ends the
// comprehension and fails the expression. The charging calls are named with `@`, which the
// parser never accepts in a name, so an expression cannot call or shadow them. Evaluation is
// synchronous, so one budget at a time is enough. Nested comprehensions are where cost grows
// (n^depth); everything else costs at most the expression's size times the data's.

import { CelScalar, celError, celFunc, isCelList, isCelMap, type CelFunc } from '@bufbuild/cel';
import { MAX_CEL_STEPS } from './limits.ts';
import type { CelExpr } from './names.ts';

const STEP = '@cost_step';
const RANGE = '@cost_range';

let left = MAX_CEL_STEPS;

/** Runs `evaluate` with a fresh budget of `steps`. */
export function withBudget<T>(evaluate: () => T, steps: number = MAX_CEL_STEPS): T {
  const saved = left;
  left = steps;
  try {
    return evaluate();
  } finally {
    left = saved;
  }
}

const overBudget = (): Error =>
  celError(`evaluation cost limit: more than ${MAX_CEL_STEPS} comprehension steps (see docs/limits.md)`);

/** The two charging functions, added to the environment. */
export const BUDGET_FUNCS: CelFunc[] = [
  celFunc(STEP, [CelScalar.DYN], CelScalar.DYN, (value) => {
    left -= 1;
    if (left < 0) throw overBudget();
    return value;
  }),
  celFunc(RANGE, [CelScalar.DYN], CelScalar.DYN, (range) => {
    left -= isCelList(range) || isCelMap(range) ? range.size : 0;
    if (left < 0) throw overBudget();
    return range;
  }),
];

/** The expression with every comprehension's loop condition and range wrapped in a charge. */
export function withCharges(expr: CelExpr, template: CelExpr): CelExpr {
  let nextId = maxId(expr) + 1n;
  const charge = (fn: string, arg: CelExpr | undefined): CelExpr | undefined => {
    if (arg === undefined || template.exprKind.case !== 'callExpr') return arg;
    const id = nextId++;
    return {
      ...template,
      id,
      exprKind: { case: 'callExpr', value: { ...template.exprKind.value, function: fn, args: [arg] } },
    };
  };
  const visit = (e: CelExpr | undefined): void => {
    if (e === undefined) return;
    const kind = e.exprKind;
    switch (kind.case) {
      case 'selectExpr':
        return visit(kind.value.operand);
      case 'callExpr':
        visit(kind.value.target);
        return kind.value.args.forEach(visit);
      case 'listExpr':
        return kind.value.elements.forEach(visit);
      case 'structExpr':
        for (const entry of kind.value.entries) {
          if (entry.keyKind.case === 'mapKey') visit(entry.keyKind.value);
          visit(entry.value);
        }
        return;
      case 'comprehensionExpr': {
        const c = kind.value;
        [c.iterRange, c.accuInit, c.loopCondition, c.loopStep, c.result].forEach(visit);
        c.iterRange = charge(RANGE, c.iterRange);
        c.loopCondition = charge(STEP, c.loopCondition);
        return;
      }
      case 'constExpr':
      case 'identExpr':
      case undefined:
        return;
    }
  };
  visit(expr);
  return expr;
}

function maxId(e: CelExpr | undefined): bigint {
  if (e === undefined) return 0n;
  let max = e.id;
  const more = (x: CelExpr | undefined): void => {
    const m = maxId(x);
    if (m > max) max = m;
  };
  const kind = e.exprKind;
  switch (kind.case) {
    case 'selectExpr':
      more(kind.value.operand);
      break;
    case 'callExpr':
      more(kind.value.target);
      kind.value.args.forEach(more);
      break;
    case 'listExpr':
      kind.value.elements.forEach(more);
      break;
    case 'structExpr':
      for (const entry of kind.value.entries) {
        if (entry.keyKind.case === 'mapKey') more(entry.keyKind.value);
        more(entry.value);
      }
      break;
    case 'comprehensionExpr':
      [
        kind.value.iterRange,
        kind.value.accuInit,
        kind.value.loopCondition,
        kind.value.loopStep,
        kind.value.result,
      ].forEach(more);
      break;
    case 'constExpr':
    case 'identExpr':
    case undefined:
      break;
  }
  return max;
}
