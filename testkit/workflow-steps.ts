// Reading workflows the way the tests need them: every step of every job with its `uses:` and `with:` block
// (from GitHub's parser, as parsed data), and README snippets made whole so GitHub's parser can judge them.

import { parseWorkflowText, type ParsedWorkflow } from './workflow-parser.ts';

export interface WorkflowStep {
  job: string;
  index: number;
  id: string | undefined;
  uses: string | undefined;
  run: string | undefined;
  with: Record<string, string>;
}

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** Every step of every job, in order. */
export function workflowSteps(parsed: ParsedWorkflow): WorkflowStep[] {
  const jobs = asRecord(asRecord(parsed.document)['jobs']);
  return Object.entries(jobs).flatMap(([job, body]) => {
    const steps = asRecord(body)['steps'];
    return (Array.isArray(steps) ? steps : []).map((raw, index): WorkflowStep => {
      const step = asRecord(raw);
      const text = (key: string): string | undefined => (typeof step[key] === 'string' ? step[key] : undefined);
      const withBlock = Object.fromEntries(Object.entries(asRecord(step['with'])).map(([k, v]) => [k, String(v)]));
      return { job, index, id: text('id'), uses: text('uses'), run: text('run'), with: withBlock };
    });
  });
}

/** The fenced ```yaml blocks of a Markdown text, with the line each starts on. */
export function yamlBlocks(markdown: string): { line: number; text: string }[] {
  const blocks: { line: number; text: string }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== '```yaml') continue;
    const start = i + 1;
    while (++i < lines.length && lines[i]?.trim() !== '```');
    blocks.push({ line: start + 1, text: lines.slice(start, i).join('\n') });
  }
  return blocks;
}

const indent = (text: string, by: number): string =>
  text
    .split('\n')
    .map((l) => (l.trim() === '' ? l : ' '.repeat(by) + l))
    .join('\n');
const dedent = (text: string): string => {
  const widths = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => /^ */.exec(l)?.[0].length ?? 0);
  const by = Math.min(...widths);
  return text
    .split('\n')
    .map((l) => l.slice(by))
    .join('\n');
};

/**
 * A README snippet as a whole workflow: a workflow stays as it is; a list of steps, or a job's body
 * (permissions, steps), is put into one job of a minimal workflow, so the parser checks every key in it.
 */
export async function parseSnippet(text: string): Promise<ParsedWorkflow> {
  const body = dedent(text);
  let whole: string;
  if (/^(on|jobs):/m.test(body)) whole = body;
  else if (/^- /m.test(body))
    whole = `on: push\njobs:\n  snippet:\n    runs-on: ubuntu-latest\n    steps:\n${indent(body, 6)}\n`;
  else whole = `on: push\njobs:\n  snippet:\n    runs-on: ubuntu-latest\n${indent(body, 4)}\n`;
  return parseWorkflowText('README snippet', whole);
}
