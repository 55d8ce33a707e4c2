// Equality that refuses to compare values of different kinds. CEL's `==` between a list and a
// string is false (and `!=` true), not an error, so `r.severity != 'CRITICAL'` passes whatever the
// scan found when severity is a list, as it is in the in-toto vulns predicate: a content policy
// that passes because it read the wrong shape. Here such a comparison is an evaluation error,
// which fails the expression. Numbers of any kind still compare with each other (1 == 1.0), and
// anything compares with null (`has`-like checks on JSON). A deliberate, documented deviation
// from CEL's heterogeneous equality (docs/cel.md), in the fail-closed direction only.

import { CelScalar, celEnv, celFunc, isCelList, isCelMap, isCelUint, type CelFunc, type CelValue } from '@bufbuild/cel';

// The standard functions, made on first comparison.
let standard: ReturnType<typeof celEnv>['funcs'] | undefined;

function kind(v: CelValue): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint' || typeof v === 'number' || isCelUint(v)) return 'number';
  if (typeof v === 'string' || typeof v === 'boolean') return typeof v;
  if (v instanceof Uint8Array) return 'bytes';
  if (isCelList(v)) return 'list';
  if (isCelMap(v)) return 'map';
  return 'other';
}

function compare(name: '_==_' | '_!=_') {
  return (l: CelValue, r: CelValue): boolean => {
    const a = kind(l);
    const b = kind(r);
    if (a !== b && a !== 'null' && b !== 'null')
      throw new Error(
        `cannot compare a ${a} with a ${b} (${name === '_==_' ? '==' : '!='}); read the field the value is in`,
      );
    standard ??= celEnv().funcs;
    const result = standard.find(name)?.call(0, undefined, [l, r]);
    if (typeof result !== 'boolean') throw result instanceof Error ? result : new Error(`no ${name} for ${a} and ${b}`);
    return result;
  };
}

/** `==` and `!=` over dyn, replacing the standard ones of the same signature. */
export const STRICT_EQUALITY: CelFunc[] = [
  celFunc('_==_', [CelScalar.DYN, CelScalar.DYN], CelScalar.BOOL, compare('_==_')),
  celFunc('_!=_', [CelScalar.DYN, CelScalar.DYN], CelScalar.BOOL, compare('_!=_')),
];
