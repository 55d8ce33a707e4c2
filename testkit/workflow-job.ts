// Runs one job of a workflow file the way a runner does, step by step: each step's `if:` and every
// `${{ }}` by GitHub's own expression engine (action-manifest.ts), `run:` steps with bash as the runner
// starts them (`bash --noprofile --norc -eo pipefail`, the step's `env:`, a GITHUB_OUTPUT file per step),
// `uses: ./path` actions through runAction (action.yml loaded by GitHub's parser), and the job's
// `outputs:` evaluated at the end. A `uses:` of another repository's action (actions/checkout, ...)
// cannot be fetched here: the test supplies a stand-in for it by name, and an action it did not supply
// fails the run, so no step is skipped unnoticed. The job stops at the first failing step, as a runner does.

import { cp, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  ActionLoadError,
  evaluate,
  evaluateCondition,
  interpolate,
  type ExpressionContexts,
} from './action-manifest.ts';
import { actionEnv, type LocalServices } from './index.ts';
import { githubContext, JOB_TOKEN, runAction, runProcess, type ActionRun } from './runner.ts';
import type { ParsedWorkflow } from './workflow-parser.ts';

type Services = Pick<LocalServices, 'issuer'> & Partial<Pick<LocalServices, 'github'>>;

/** A step as the job ran it: skipped by its `if:`, or run with its exit code, outputs and printed lines. */
export interface StepRun {
  index: number;
  id: string | undefined;
  name: string;
  skipped: boolean;
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  errors: string[];
}

export interface JobRun {
  /** Exit status of the job: 0 when every step that ran passed. */
  code: number;
  steps: StepRun[];
  /** The job's `outputs:`, evaluated after its steps. */
  outputs: Record<string, string>;
  /** The `::error::` lines of the step that failed (empty when none did). */
  errors: string[];
  /** The job's HOME (what steps left there, e.g. ~/.docker/config.json). */
  home: string;
}

/** What a stand-in for another repository's action gets: its evaluated `with:` and the job's workspace. */
export interface StandInCall {
  with: Record<string, string>;
  workspace: string;
  /** The step's environment beyond the runner's own variables (HOME, its `env:`, the test's additions). */
  env: Record<string, string>;
  /** The runner's directory for this job, for anything the stand-in keeps. */
  scratch: string;
}
export type StandIn = (
  call: StandInCall,
) => Promise<{ code: number; stdout?: string; stderr?: string; outputs?: Record<string, string> }>;

export interface RunJobOptions {
  workflow: ParsedWorkflow;
  job: string;
  workspace: string;
  /** The runner's directories (temp, HOME, step files) are made here; the caller removes it. */
  scratch: string;
  /** `inputs` and `secrets` of a workflow_call, as the caller passes them. */
  inputs?: Record<string, string | boolean>;
  secrets?: Record<string, string>;
  /** Stand-ins for other repositories' actions, keyed by `uses:` as written (e.g. actions/checkout@<sha>). */
  standIns?: Record<string, StandIn>;
  /** Inputs added to every `uses: ./…` step (e.g. the local Sigstore instance, which github.com's defaults cannot name). */
  actionInputs?: Record<string, string>;
  /** Runner variables to add or replace. */
  env?: Record<string, string>;
  /** Further expression contexts, e.g. `needs` (the outputs of the jobs this one needs). */
  contexts?: ExpressionContexts;
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const text = (value: unknown): string | undefined =>
  typeof value === 'string'
    ? value
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : undefined;
const strings = (value: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(record(value)).map(([k, v]) => [k, text(v) ?? '']));

export async function runWorkflowJob(services: Services, options: RunJobOptions): Promise<JobRun> {
  const job = record(record(record(options.workflow.document)['jobs'])[options.job]);
  if (Object.keys(job).length === 0) throw new Error(`the workflow has no job "${options.job}"`);
  const runner = await mkdtemp(path.join(options.scratch, 'job-'));
  const home = path.join(runner, 'home');
  const runnerTemp = path.join(runner, 'temp');
  await mkdir(home);
  await mkdir(runnerTemp);
  const base = actionEnv(services, {
    workspace: options.workspace,
    runnerTemp,
    stepSummary: path.join(runner, 'summary.md'),
    output: path.join(runner, 'unused-output'),
  });
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const contexts = (): ExpressionContexts => ({
    github: githubContext(base, JOB_TOKEN),
    runner: { os: 'Linux', temp: runnerTemp, environment: base['RUNNER_ENVIRONMENT'] },
    inputs: { ...declaredDefaults(options.workflow), ...options.inputs },
    secrets: { GITHUB_TOKEN: JOB_TOKEN, ...options.secrets },
    steps,
    ...options.contexts,
  });
  const runs: StepRun[] = [];
  const list = Array.isArray(job['steps']) ? (job['steps'] as unknown[]) : [];
  for (const [index, raw] of list.entries()) {
    const step = record(raw);
    const id = typeof step['id'] === 'string' ? step['id'] : undefined;
    const name = text(step['name']) ?? text(step['uses']) ?? text(step['run']) ?? `step ${index}`;
    const condition = text(step['if']);
    if (condition !== undefined && !evaluateCondition(condition, contexts())) {
      runs.push({ index, id, name, skipped: true, code: 0, stdout: '', stderr: '', outputs: {}, errors: [] });
      if (id) steps[id] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
      continue;
    }
    const env = {
      HOME: home,
      ...Object.fromEntries(Object.entries(strings(step['env'])).map(([k, v]) => [k, interpolate(v, contexts())])),
      ...options.env,
    };
    const result = await runStep(services, step, { ...options, env, index, runner, base, contexts: contexts() });
    const errors = result.stdout.split('\n').filter((l) => l.startsWith('::error::'));
    runs.push({ index, id, name, skipped: false, stderr: '', ...result, errors });
    if (id) {
      const outcome = result.code === 0 ? 'success' : 'failure';
      steps[id] = { outputs: result.outputs, outcome, conclusion: outcome };
    }
    if (result.code !== 0) return { code: result.code, steps: runs, outputs: {}, errors, home };
  }
  const outputs = Object.fromEntries(
    Object.entries(strings(job['outputs'])).map(([k, v]) => [k, outputValue(v, contexts())]),
  );
  return { code: 0, steps: runs, outputs, errors: [], home };
}

/** A job output: a step output that was never set is empty, as on GitHub (a `with:` value is held stricter). */
function outputValue(text: string, contexts: ExpressionContexts): string {
  return text.replace(/\$\{\{(.*?)\}\}/gs, (_, expr: string) => {
    try {
      return evaluate(expr.trim(), contexts);
    } catch (err) {
      if (err instanceof ActionLoadError && /^steps\.[\w-]+\.outputs\./.test(expr.trim())) return '';
      throw err;
    }
  });
}

/** The `inputs` a called workflow gets for what its caller left out: each declared input's default. */
function declaredDefaults(workflow: ParsedWorkflow): Record<string, unknown> {
  const on = record(record(workflow.document)['on']);
  const declared = record(record(on['workflow_call'])['inputs']);
  const defaults: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const { type, default: value } = record(spec);
    // Typed as the runner types them: a boolean input is a boolean, whatever spelling the YAML used.
    if (type === 'boolean') defaults[name] = value === true || value === 'true';
    else if (type === 'number') defaults[name] = Number(text(value) ?? 0);
    else defaults[name] = text(value) ?? '';
  }
  return defaults;
}

interface StepContext extends RunJobOptions {
  env: Record<string, string>;
  index: number;
  runner: string;
  base: Record<string, string>;
  contexts: ExpressionContexts;
}

async function runStep(
  services: Services,
  step: Record<string, unknown>,
  ctx: StepContext,
): Promise<{ code: number; stdout: string; stderr?: string; outputs: Record<string, string> }> {
  const uses = typeof step['uses'] === 'string' ? step['uses'] : undefined;
  const withBlock = strings(step['with']);
  if (uses?.startsWith('./')) {
    const run: ActionRun = await runAction(services, {
      workspace: ctx.workspace,
      scratch: ctx.runner,
      actionDir: path.join(ctx.workspace, uses),
      inputs: { ...withBlock, ...ctx.actionInputs },
      contexts: ctx.contexts,
      env: ctx.env,
    });
    return run;
  }
  if (uses !== undefined) {
    const standIn = ctx.standIns?.[uses];
    if (standIn === undefined) throw new Error(`step ${ctx.index} uses ${uses}, and the test gave no stand-in for it`);
    const evaluated = Object.fromEntries(Object.entries(withBlock).map(([k, v]) => [k, interpolate(v, ctx.contexts)]));
    const result = await standIn({ with: evaluated, workspace: ctx.workspace, env: ctx.env, scratch: ctx.runner });
    return {
      code: result.code,
      stdout: result.stdout ?? '',
      stderr: result.stderr ?? '',
      outputs: result.outputs ?? {},
    };
  }
  const script = path.join(ctx.runner, `step-${ctx.index}.sh`);
  const output = path.join(ctx.runner, `step-${ctx.index}.output`);
  await writeFile(script, interpolate(text(step['run']) ?? '', ctx.contexts));
  await writeFile(output, '');
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], ...ctx.base, GITHUB_OUTPUT: output, ...ctx.env };
  const result = await runProcess('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], env, ctx.workspace);
  return { ...result, outputs: parseKeyValueOutputs(await readFile(output, 'utf8')) };
}

/** GITHUB_OUTPUT as run steps write it: `name=value` lines and `name<<DELIMITER` blocks. */
export function parseKeyValueOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const block = /^([^<=]+)<<(.+)$/.exec(line);
    if (block?.[1] !== undefined && block[2] !== undefined) {
      const value: string[] = [];
      while (++i < lines.length && lines[i] !== block[2]) value.push(lines[i] ?? '');
      outputs[block[1]] = value.join('\n');
      continue;
    }
    const pair = /^([^=]+)=(.*)$/.exec(line);
    if (pair?.[1] !== undefined) outputs[pair[1]] = pair[2] ?? '';
  }
  return outputs;
}

/**
 * A stand-in for actions/checkout that checks out this repository's action (action.yml and dist/, what
 * a runner loads) into `with.path`, and only for the repository and commit the test expects: a workflow
 * asking for another ref gets checkout's failure, as it would when the ref does not exist.
 */
export function actionCheckout(expected: { repository: string; ref: string }, source: string): StandIn {
  return async (call) => {
    const { repository, ref } = call.with;
    if (repository !== expected.repository || ref !== expected.ref)
      return {
        code: 1,
        stdout: `::error::stand-in checkout: asked for ${repository}@${ref}, this test serves ${expected.repository}@${expected.ref}\n`,
      };
    const target = path.join(call.workspace, call.with['path'] ?? '.');
    await mkdir(target, { recursive: true });
    await cp(path.join(source, 'action.yml'), path.join(target, 'action.yml'));
    await cp(path.join(source, 'dist'), path.join(target, 'dist'), { recursive: true });
    return { code: 0 };
  };
}

/**
 * `uses: OWNER/provenance-action@REF` as a runner would run it: this repository's action.yml and dist/ through
 * runAction. `inputs` are added to the step's own (e.g. the local Sigstore instance and trusted root).
 */
export function thisAction(services: Services, inputs: Record<string, string> = {}): StandIn {
  return async (call) =>
    runAction(services, {
      workspace: call.workspace,
      scratch: call.scratch,
      inputs: { ...call.with, ...inputs },
      env: call.env,
    });
}

/**
 * actions/upload-artifact and actions/download-artifact between the jobs of one test run: the uploaded files are
 * kept under the job's scratch directory by name and copied back on download. (The Actions artifact stand-in serves
 * the action's own uploads through @actions/artifact; these two steps are other repositories' actions.)
 */
export function artifactStore(): { upload: StandIn; download: StandIn } {
  const stored = new Map<string, string>();
  return {
    upload: async (call) => {
      const name = call.with['name'] ?? 'artifact';
      const keep = await mkdtemp(path.join(call.scratch, 'artifact-'));
      await cp(path.join(call.workspace, call.with['path'] ?? '.'), keep, { recursive: true });
      stored.set(name, keep);
      return { code: 0 };
    },
    download: async (call) => {
      const name = call.with['name'] ?? 'artifact';
      const kept = stored.get(name);
      if (kept === undefined) return { code: 1, stdout: `::error::Artifact not found for name: ${name}\n` };
      await cp(kept, path.join(call.workspace, call.with['path'] ?? '.'), { recursive: true });
      return { code: 0 };
    },
  };
}
