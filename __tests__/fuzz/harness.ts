// Property-based fuzzing of the parsers of untrusted input (issue #7): each target is run on
// arbitrary and on structure-aware inputs (a valid example with fields deleted, retyped, nested,
// resized), and must return or throw one of the project's own errors — never a TypeError,
// RangeError or SyntaxError escaping, never a hang. Every property has a fixed seed, printed with
// its run count and the slowest single input, so a failure reproduces with the same seed.
//
// Longer hunts: FUZZ_SEED=<n> replaces every seed, FUZZ_SCALE=<k> multiplies run counts and time
// limits, e.g. `FUZZ_SEED=$RANDOM FUZZ_SCALE=20 node --test __tests__/fuzz/*.test.ts`.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProvenanceError } from '../../src/common/errors.ts';
import { VerificationError } from '../../src/verify/types.ts';

/** Error classes a target may throw on purpose; anything else is a bug. */
export type ErrorClass = abstract new (...args: never[]) => Error;

export const OWN_ERRORS: readonly ErrorClass[] = [ProvenanceError, VerificationError];

/** One input may take this long before the property fails: far above any parser's real cost, far below a hang. */
export const MAX_RUN_MS = 2_000;

export interface FuzzOptions {
  seed: number;
  numRuns: number;
  /** Error classes besides ProvenanceError and VerificationError the target documents. */
  allow?: readonly ErrorClass[];
  /** Stops generating new inputs after this long (the runs done still count, and are printed); default 4 s. */
  timeLimitMs?: number;
}

const SEED_OVERRIDE = process.env['FUZZ_SEED'] === undefined ? undefined : Number(process.env['FUZZ_SEED']);
const SCALE = Number(process.env['FUZZ_SCALE'] ?? 1) || 1;

function parameters(options: FuzzOptions): {
  seed: number;
  numRuns: number;
  plugins: [ReturnType<typeof fc.interruptAfterTimeLimit>];
} {
  const seed = SEED_OVERRIDE ?? options.seed;
  return {
    seed,
    numRuns: Math.round(options.numRuns * SCALE),
    plugins: [fc.interruptAfterTimeLimit((options.timeLimitMs ?? 4_000) * SCALE)],
  };
}

function isAllowed(err: unknown, allow: readonly ErrorClass[]): boolean {
  return [...OWN_ERRORS, ...allow].some((cls) => err instanceof cls);
}

function escaped(err: unknown): Error {
  const e = err instanceof Error ? err : new Error(String(err));
  return new Error(`escaped ${e.name}: ${e.message}`, { cause: err });
}

function summary(name: string, runs: number, seed: number, worst: number): string {
  return `fuzz: ${name} ${runs} runs, seed ${seed}, worst ${worst.toFixed(1)} ms`;
}

// What fuzz and fuzzAsync keep per target: runs, the slowest one, and which errors may end a run.
class Tally {
  runs = 0;
  worst = 0;
  readonly #allow: readonly ErrorClass[];

  constructor(allow: readonly ErrorClass[]) {
    this.#allow = allow;
  }

  start(): number {
    this.runs++;
    return performance.now();
  }

  /** An error the target may throw ends the run; any other escapes and fails the property. */
  caught(err: unknown): void {
    if (!isAllowed(err, this.#allow)) throw escaped(err);
  }

  end(started: number): void {
    const ms = performance.now() - started;
    this.worst = Math.max(this.worst, ms);
    if (ms > MAX_RUN_MS) throw new Error(`one input took ${ms.toFixed(0)} ms, more than ${MAX_RUN_MS}`);
  }

  report(name: string, seed: number): string {
    const line = summary(name, this.runs, seed, this.worst);
    console.log(line);
    return line;
  }
}

/** Runs `target` on `numRuns` inputs of `arb`; prints and returns the summary line. */
export function fuzz<T>(
  name: string,
  arb: fc.Arbitrary<T>,
  target: (input: T) => unknown,
  options: FuzzOptions,
): string {
  const tally = new Tally(options.allow ?? []);
  const property = fc.property(arb, (input) => {
    const started = tally.start();
    try {
      target(input);
    } catch (err) {
      tally.caught(err);
    }
    tally.end(started);
  });
  const params = parameters(options);
  fc.assert(property, params);
  return tally.report(name, params.seed);
}

/** fuzz for async targets (HTTP clients over a stubbed fetch). */
export async function fuzzAsync<T>(
  name: string,
  arb: fc.Arbitrary<T>,
  target: (input: T) => Promise<unknown>,
  options: FuzzOptions,
): Promise<string> {
  const tally = new Tally(options.allow ?? []);
  const property = fc.asyncProperty(arb, async (input) => {
    const started = tally.start();
    try {
      await target(input);
    } catch (err) {
      tally.caught(err);
    }
    tally.end(started);
  });
  const params = parameters(options);
  await fc.assert(property, params);
  return tally.report(name, params.seed);
}

/** Asserts `fn` throws one of `classes` within `maxMs`, and returns the error. */
export function refusesQuickly<E extends Error>(
  fn: () => unknown,
  cls: abstract new (...args: never[]) => E,
  maxMs: number,
  says?: RegExp,
): E {
  const started = performance.now();
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  const ms = performance.now() - started;
  assert.ok(
    caught instanceof cls,
    `expected a ${cls.name}, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught)}`,
  );
  if (says) assert.match(caught.message, says);
  assert.ok(ms < maxMs, `took ${ms.toFixed(0)} ms to refuse, more than ${maxMs}`);
  return caught;
}

// ---- generators ----

/** Characters that break naive parsers: controls, quotes, separators, lone surrogates, line separators. */
const NASTY = [
  '\u0000',
  '\t',
  '\n',
  '\r',
  ' ',
  '"',
  "'",
  '\\',
  ':',
  '#',
  '-',
  '=',
  '/',
  '@',
  '{',
  '[',
  ',',
  ';',
  '<',
  '>',
  '%',
  '\uD800',
  '\uDFFF',
  '\u2028',
  '\uFEFF',
  '\u00e9',
  '\u{1F600}',
];

export const nastyChar: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }), weight: 5 },
  { arbitrary: fc.constantFrom(...NASTY), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 1 },
);

export const nastyString = (maxLength = 40): fc.Arbitrary<string> => fc.string({ unit: nastyChar, maxLength });

export const anyJson: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 4, stringUnit: nastyChar });

/**
 * Names Object.prototype answers for: as keys of parsed JSON (a digest's algorithm, a predicate
 * field, an annotation) they must be read as data, never as the prototype's function (issue #14, item 7).
 */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;

export const prototypeKey: fc.Arbitrary<string> = fc.constantFrom(...PROTOTYPE_KEYS);

/** What such a key holds: a hex string (so a digest reader keeps it) or any JSON. */
const prototypeKeyValue: fc.Arbitrary<unknown> = fc.oneof(fc.constantFrom('a'.repeat(64), 'B'.repeat(64), ''), anyJson);

/** An own, enumerable property even for `__proto__` (plain assignment would set the prototype). */
export function withOwnKey(value: Record<string, unknown>, key: string, item: unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...value };
  Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
  return copy;
}

/** Text with lines: many parsers here are line-based. */
export const linesOf = (line: fc.Arbitrary<string>, maxLines = 12): fc.Arbitrary<string> =>
  fc
    .tuple(fc.array(line, { maxLength: maxLines }), fc.constantFrom('\n', '\r\n'))
    .map(([lines, eol]) => lines.join(eol));

type Path = (string | number)[];

/** Every path into a JSON value (up to `max`), the root included. */
export function pathsOf(value: unknown, max = 400): Path[] {
  const out: Path[] = [];
  const walk = (v: unknown, path: Path): void => {
    if (out.length >= max) return;
    out.push(path);
    if (Array.isArray(v)) v.forEach((item, i) => walk(item, [...path, i]));
    else if (typeof v === 'object' && v !== null) for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
  };
  walk(value, []);
  return out;
}

const clone = <T>(value: T): T => structuredClone(value);

type Mutation =
  | { kind: 'delete' }
  | { kind: 'replace'; value: unknown }
  | { kind: 'retype' }
  | { kind: 'wrap' }
  | { kind: 'nest'; depth: number }
  | { kind: 'grow'; times: number }
  | { kind: 'null' }
  | { kind: 'string'; value: string }
  | { kind: 'tweak'; at: number; insert: string }
  | { kind: 'number'; value: number }
  | { kind: 'addKey'; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant<Mutation>({ kind: 'delete' }),
  anyJson.map((value): Mutation => ({ kind: 'replace', value })),
  fc.constant<Mutation>({ kind: 'retype' }),
  fc.constant<Mutation>({ kind: 'wrap' }),
  fc.integer({ min: 1, max: 200 }).map((depth): Mutation => ({ kind: 'nest', depth })),
  fc.integer({ min: 2, max: 50 }).map((times): Mutation => ({ kind: 'grow', times })),
  fc.constant<Mutation>({ kind: 'null' }),
  fc
    .oneof(
      nastyString(),
      fc.constantFrom('', '0', '-1', 'true', 'null', '1e999', 'x'.repeat(5000), 'sha256:', '__proto__'),
    )
    .map((value): Mutation => ({ kind: 'string', value })),
  fc
    .tuple(fc.nat(), fc.string({ unit: nastyChar, minLength: 1, maxLength: 3 }))
    .map(([at, insert]): Mutation => ({ kind: 'tweak', at, insert })),
  fc
    .oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 0, 2 ** 53, Number.MAX_VALUE, -0))
    .map((value): Mutation => ({ kind: 'number', value })),
  fc
    .tuple(fc.oneof(nastyString(12), prototypeKey), anyJson)
    .map(([key, value]): Mutation => ({ kind: 'addKey', key, value })),
  // Weighted like the others, but always a prototype name, and aimed at objects (see mutated()).
  fc.tuple(prototypeKey, prototypeKeyValue).map(([key, value]): Mutation => ({ kind: 'addKey', key, value })),
);

function retyped(value: unknown): unknown {
  if (typeof value === 'string') return value.length;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v as unknown]));
  if (typeof value === 'object' && value !== null) return Object.values(value);
  return {};
}

function applyAt(root: unknown, path: Path, m: Mutation): unknown {
  const transform = (value: unknown): unknown => {
    switch (m.kind) {
      case 'delete':
        return DELETE;
      case 'replace':
        return m.value;
      case 'retype':
        return retyped(value);
      case 'wrap':
        return [value];
      case 'nest': {
        let v = value;
        for (let i = 0; i < m.depth; i++) v = i % 2 === 0 ? [v] : { v };
        return v;
      }
      case 'grow':
        if (Array.isArray(value))
          return Array.from(
            { length: value.length * m.times },
            (_, i) => value[i % Math.max(1, value.length)] as unknown,
          );
        if (typeof value === 'string') return value.repeat(m.times);
        return value;
      case 'null':
        return null;
      case 'string':
        return m.value;
      case 'tweak': {
        if (typeof value !== 'string') return value;
        const i = m.at % (value.length + 1);
        return value.slice(0, i) + m.insert + value.slice(i);
      }
      case 'number':
        return m.value;
      case 'addKey':
        if (typeof value === 'object' && value !== null && !Array.isArray(value))
          return withOwnKey(value as Record<string, unknown>, m.key, m.value);
        return value;
    }
  };
  if (path.length === 0) {
    const replaced = transform(root);
    return replaced === DELETE ? undefined : replaced;
  }
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1] as string | number;
  let parent: unknown = root;
  for (const k of parentPath) parent = (parent as Record<string | number, unknown>)[k];
  const container = parent as Record<string | number, unknown>;
  const replaced = transform(container[key]);
  if (replaced === DELETE) {
    if (Array.isArray(container) && typeof key === 'number') container.splice(key, 1);
    else delete container[key];
  } else {
    Object.defineProperty(container, key, { value: replaced, enumerable: true, writable: true, configurable: true });
  }
  return root;
}

const DELETE = Symbol('delete');

function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const k of path) v = (v as Record<string | number, unknown>)[k];
  return v;
}

/**
 * Structure-aware inputs: one of `bases` (valid examples) with 1–4 mutations at random paths.
 * Paths are chosen among the value's own, so most mutations land on fields the parser reads.
 */
export function mutated(bases: readonly unknown[], maxMutations = 4): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      fc.nat({ max: bases.length - 1 }),
      fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: maxMutations }),
    )
    .map(([which, mutations]) => {
      let value = clone(bases[which]);
      for (const [at, m] of mutations) {
        // String mutations go to string fields, added keys to objects: that is where text handling and lookups break.
        const all = pathsOf(value);
        const isObjectAt = (p: Path): boolean => {
          const v = valueAt(value, p);
          return typeof v === 'object' && v !== null && !Array.isArray(v);
        };
        const aimed =
          m.kind === 'string' || m.kind === 'tweak'
            ? all.filter((p) => typeof valueAt(value, p) === 'string')
            : m.kind === 'addKey'
              ? all.filter(isObjectAt)
              : [];
        const paths = aimed.length > 0 ? aimed : all;
        const path = paths[at % paths.length] ?? [];
        value = applyAt(value, path, m);
      }
      return value;
    });
}

/** Text-level mutations of a valid text: cut, duplicate, splice in nasty characters, flip bytes. */
export function mutatedText(bases: readonly string[]): fc.Arbitrary<string> {
  const edit = fc.tuple(
    fc.nat(),
    fc.nat({ max: 64 }),
    fc.oneof(nastyString(8), fc.constantFrom('', '\n', '{', '}', '[', ']', '"', ',', ':', '\\u0000', 'null')),
  );
  return fc
    .tuple(fc.nat({ max: bases.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 6 }))
    .map(([which, edits]) => {
      let text = bases[which] ?? '';
      for (const [at, cut, insert] of edits) {
        const i = text.length === 0 ? 0 : at % (text.length + 1);
        text = text.slice(0, i) + insert + text.slice(i + cut);
      }
      return text;
    });
}

/** `[[[…]]]` / `{"a":{"a":…}}` `depth` deep, as JSON text. */
export function deepJSON(depth: number, kind: 'array' | 'object' = 'array'): string {
  return kind === 'array'
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}
