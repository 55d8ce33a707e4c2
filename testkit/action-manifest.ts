// What a GitHub runner reads from action.yml before it starts a JavaScript action's step, and the
// environment it gives that step's inputs. The manifest comes from GitHub's own parser (workflow-parser.ts),
// never from the text, so a test passes only when GitHub could load the file. The input rules are the
// runner's (actions/runner, ActionManifestManager and the node handler): every declared input is set, a
// `with:` value wins over the declared default, a default may be an expression over the job's contexts
// (`${{ github.token }}`), an input without a default is the empty string, and the variable is INPUT_
// followed by the name in upper case with spaces as underscores and hyphens kept.
//
// Where this harness is stricter than the runner, it says so: a `with:` key that action.yml does not
// declare is only a warning on github.com, and here an error, so a test cannot pass an input the action
// would never receive by its name; an expression naming something the job's contexts lack is '' on
// github.com, and here an error, so a typo in a test's `with:` block cannot pass as an empty input.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { truthy } from '@actions/expressions/result';
import { isBasicExpression, isString, parseActionText, type ActionTemplate } from './workflow-parser.ts';

/** A JavaScript action's manifest, as the runner uses it. */
export interface ActionManifest {
  dir: string;
  template: ActionTemplate;
  inputs: ActionInput[];
  /** `runs.using` (node20, node24) and the path of `runs.main`, resolved against the action's folder. */
  using: string;
  main: string;
}

export interface ActionInput {
  id: string;
  required: boolean;
  /** The literal default, or the expression (without `${{ }}`) the runner evaluates for it. */
  default: { literal: string } | { expression: string };
}

/** The job's expression contexts a default or a `with:` value may read (`github.token`, `steps.x.outputs.y`, ...). */
export type ExpressionContexts = Record<string, unknown>;

export class ActionLoadError extends Error {}

/** Loads `<dir>/action.yml` through GitHub's parser; any parse or schema error is an ActionLoadError listing them all. */
export async function loadActionManifest(dir: string): Promise<ActionManifest> {
  const file = path.join(dir, 'action.yml');
  const parsed = parseActionText('action.yml', await readFile(file, 'utf8'));
  if (!parsed.template) throw new ActionLoadError(`GitHub's parser refuses ${file}:\n${parsed.errors.join('\n')}`);
  const { template } = parsed;
  const runs = template.runs;
  if (runs.using === 'composite' || runs.using === 'docker')
    throw new ActionLoadError(`${file}: runs.using is ${runs.using}; this harness runs JavaScript actions`);
  const inputs = (template.inputs ?? []).map((input): ActionInput => {
    const d = input.default;
    let value: ActionInput['default'] = { literal: '' };
    if (d !== undefined && isBasicExpression(d)) value = { expression: d.expression };
    else if (d !== undefined) value = { literal: isString(d) ? d.value : d.toString() };
    return { id: input.id, required: input.required === true, default: value };
  });
  return { dir, template, inputs, using: runs.using, main: path.resolve(dir, runs.main) };
}

/** The runner's environment variable for an input: `INPUT_` + upper case, spaces to `_`, hyphens kept. */
export function inputVariable(id: string): string {
  return `INPUT_${id.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * The INPUT_* variables a runner sets for a step with this `with:` block. Values in `with:` and defaults
 * may hold `${{ }}` expressions, evaluated over `contexts` as the runner does.
 */
export function inputEnvironment(
  manifest: ActionManifest,
  withBlock: Record<string, string>,
  contexts: ExpressionContexts,
): Record<string, string> {
  const declared = new Map(manifest.inputs.map((i) => [i.id.toLowerCase(), i]));
  const unknown = Object.keys(withBlock).filter((key) => !declared.has(key.toLowerCase()));
  if (unknown.length > 0) {
    throw new ActionLoadError(
      `Unexpected input(s) ${unknown.map((k) => `'${k}'`).join(', ')}, valid inputs are [${manifest.inputs.map((i) => `'${i.id}'`).join(', ')}]`,
    );
  }
  const given = new Map(Object.entries(withBlock).map(([k, v]) => [k.toLowerCase(), v]));
  const env: Record<string, string> = {};
  for (const input of manifest.inputs) {
    const value = given.get(input.id.toLowerCase());
    env[inputVariable(input.id)] =
      value !== undefined
        ? interpolate(value, contexts)
        : 'expression' in input.default
          ? evaluate(input.default.expression, contexts)
          : input.default.literal;
  }
  return env;
}

/** Replaces each `${{ expr }}` in a string with its value, as the runner does for `with:` values. */
export function interpolate(text: string, contexts: ExpressionContexts): string {
  return text.replace(/\$\{\{(.*?)\}\}/gs, (_, expr: string) => evaluate(expr.trim(), contexts));
}

/** Evaluates one expression with GitHub's expression engine; a context the job lacks is an error, not ''. */
export function evaluate(expression: string, contexts: ExpressionContexts): string {
  const names = Object.keys(contexts);
  const lexed = new Lexer(expression).lex();
  const tree = new Parser(lexed.tokens, names, []).parse();
  const dictionary = new data.Dictionary();
  for (const [name, value] of Object.entries(contexts)) dictionary.add(name, toData(value));
  const result = new Evaluator(tree, dictionary).evaluate();
  if (result.kind === data.Kind.Null)
    throw new ActionLoadError(`\${{ ${expression} }} has no value in this job's contexts (${names.join(', ')})`);
  return result.coerceString();
}

/** A step's `if:` as the runner judges it: the expression (with or without `${{ }}`) is truthy. */
export function evaluateCondition(condition: string, contexts: ExpressionContexts): boolean {
  const expression = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(condition)?.[1] ?? condition;
  const names = Object.keys(contexts);
  const tree = new Parser(new Lexer(expression.trim()).lex().tokens, names, []).parse();
  const dictionary = new data.Dictionary();
  for (const [name, value] of Object.entries(contexts)) dictionary.add(name, toData(value));
  return truthy(new Evaluator(tree, dictionary).evaluate());
}

function toData(value: unknown): data.ExpressionData {
  if (value === null || value === undefined) return new data.Null();
  if (typeof value === 'string') return new data.StringData(value);
  if (typeof value === 'number') return new data.NumberData(value);
  if (typeof value === 'boolean') return new data.BooleanData(value);
  if (Array.isArray(value)) {
    const array = new data.Array();
    for (const item of value) array.add(toData(item));
    return array;
  }
  const dict = new data.Dictionary();
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) dict.add(k, toData(v));
  return dict;
}

/** The Node major version a `runs.using` names (`node24` → 24). */
export function nodeMajorFor(using: string): number {
  const m = /^node(\d+)$/.exec(using);
  if (!m?.[1]) throw new ActionLoadError(`runs.using "${using}" is not a Node runtime`);
  return Number(m[1]);
}

/** GitHub Marketplace's limit on an action's description (longer ones are refused when publishing). */
export const MARKETPLACE_DESCRIPTION_MAX = 125;

/**
 * Everything that stops GitHub from loading action.yml or the Marketplace from listing it: the parser's
 * errors (syntax, schema, and branding icon and colour outside the lists its schema holds), then the
 * Marketplace's own limits. Empty when both accept the text.
 */
export function actionProblems(text: string): string[] {
  const parsed = parseActionText('action.yml', text);
  if (!parsed.template) return parsed.errors;
  const problems = [...parsed.errors];
  const { description, branding } = parsed.template;
  if ([...description].length > MARKETPLACE_DESCRIPTION_MAX) {
    problems.push(
      `description is ${[...description].length} characters; the Marketplace takes at most ${MARKETPLACE_DESCRIPTION_MAX}`,
    );
  }
  if (!branding?.icon || !branding.color) problems.push('branding needs an icon and a color for the Marketplace badge');
  return problems;
}
