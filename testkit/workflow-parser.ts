// GitHub's own parser for action.yml and workflow files, as tests load it. `@actions/workflow-parser` is the
// parser of GitHub's Actions language services (the VS Code extension and github.com's editor): it applies
// the same schemas as the runner, so a file it refuses is a file GitHub refuses.
//
// Its published ESM imports its two JSON schemas without `with { type: 'json' }`, which bundlers accept and
// Node refuses (ERR_IMPORT_ATTRIBUTE_MISSING). The load hook below adds that attribute for exactly those two
// files of that package and changes nothing else, so the package runs as published. Registering it must come
// before the package is imported, hence the dynamic imports.

import { registerHooks } from 'node:module';
import type { ActionTemplate } from '@actions/workflow-parser/actions/index';
import type { WorkflowTemplate } from '@actions/workflow-parser';

registerHooks({
  load(url, context, nextLoad) {
    if (/\/@actions\/workflow-parser\/dist\/(action|workflow)-v[\d.]+\.min\.json$/.test(url)) {
      return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
    }
    return nextLoad(url, context);
  },
});

const workflows = await import('@actions/workflow-parser');
const actions = await import('@actions/workflow-parser/actions/index');

export type { ActionTemplate, WorkflowTemplate };
/** The parser's token type guards, for reading a parsed template. */
export const { isBasicExpression, isString, isMapping, isSequence, isBoolean, isNumber } = workflows;

/** What the parser made of a file: its errors (empty when GitHub would load it) and the typed template. */
export interface Parsed<T> {
  errors: string[];
  template: T | undefined;
}

/** Parses action.yml text the way GitHub does when a workflow `uses:` the action. */
export function parseActionText(name: string, content: string): Parsed<ActionTemplate> {
  const result = actions.parseAction({ name, content }, new workflows.NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((e) => e.message);
  if (result.value === undefined || errors.length > 0) return { errors, template: undefined };
  const template = actions.convertActionTemplate(result.context, result.value);
  return { errors: result.context.errors.getErrors().map((e) => e.message), template };
}

/** A parsed workflow: GitHub's template, and the document as plain data (expressions kept as `${{ }}` text). */
export interface ParsedWorkflow extends Parsed<WorkflowTemplate> {
  document: unknown;
}

/** Parses a workflow file the way GitHub does when it is pushed to `.github/workflows/`. */
export async function parseWorkflowText(name: string, content: string): Promise<ParsedWorkflow> {
  const result = workflows.parseWorkflow({ name, content }, new workflows.NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((e) => e.message);
  if (result.value === undefined || errors.length > 0) return { errors, template: undefined, document: undefined };
  const template = await workflows.convertWorkflowTemplate(result.context, result.value);
  const converted = [
    ...result.context.errors.getErrors().map((e) => e.message),
    ...(template.errors ?? []).map((e) => e.Message),
  ];
  return { errors: converted, template, document: plainValue(result.value) };
}

type Token = Parameters<typeof workflows.isString>[0];

/** The parser's token tree as plain data; the converted template leaves out a step's `with:`, which tests need. */
export function plainValue(token: Token): unknown {
  if (workflows.isMapping(token)) {
    const out: Record<string, unknown> = {};
    for (const { key, value } of token) out[key.toString()] = plainValue(value);
    return out;
  }
  if (workflows.isSequence(token)) return [...token].map(plainValue);
  if (workflows.isBasicExpression(token)) return token.source ?? `\${{ ${token.expression} }}`;
  if (workflows.isString(token)) return token.value;
  if (workflows.isBoolean(token) || workflows.isNumber(token)) return String(token.value);
  return null;
}
