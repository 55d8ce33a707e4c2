// Runs the action the way a GitHub runner does: action.yml loaded by GitHub's parser, the step's `with:`
// block turned into INPUT_* variables by the runner's rules (declared defaults, `${{ github.token }}`,
// undeclared keys refused: action-manifest.ts), `runs.main` started with the Node that `runs.using` names,
// GITHUB_* variables, the OIDC token endpoint, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. Asynchronous,
// because the local services it talks to live in this test process.

import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  ActionLoadError,
  inputEnvironment,
  loadActionManifest,
  nodeMajorFor,
  type ExpressionContexts,
} from './action-manifest.ts';
import { STAND_IN_TOKEN } from './github-api/index.ts';
import { actionEnv, type LocalServices } from './index.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');

/** The job token a runner gives `${{ github.token }}` in tests: the one the GitHub API stand-in accepts. */
export const JOB_TOKEN = STAND_IN_TOKEN;

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** The `::error::` lines: what a user sees as the step's failure. */
  errors: string[];
  runnerTemp: string;
}

export async function runProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Parses GITHUB_OUTPUT's `name<<DELIMITER` blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!m?.[1] || !m[2]) continue;
    const value: string[] = [];
    while (++i < lines.length && lines[i] !== m[2]) value.push(lines[i] ?? '');
    outputs[m[1]] = value.join('\n');
  }
  return outputs;
}

export interface RunActionOptions {
  workspace: string;
  /** The step's `with:` block, exactly as a workflow writes it (values may hold `${{ }}` expressions). */
  inputs: Record<string, string>;
  /** Runner and job variables to add or replace (GITHUB_API_URL of a stand-in, ...); never INPUT_*. */
  env?: Record<string, string | undefined>;
  /** Where the runner's own directories (temp, output, summary) are made; the caller removes it. */
  scratch?: string;
  /** `${{ github.token }}`: the job's token (default JOB_TOKEN). */
  githubToken?: string;
  /** Further expression contexts (e.g. `steps`) for `with:` values. */
  contexts?: ExpressionContexts;
  /** The folder holding action.yml (default: this repository). */
  actionDir?: string;
}

export async function runAction(
  services: Pick<LocalServices, 'issuer'> & Partial<Pick<LocalServices, 'github'>>,
  options: RunActionOptions,
): Promise<ActionRun> {
  const manifest = await loadActionManifest(options.actionDir ?? REPO_ROOT);
  const major = nodeMajorFor(manifest.using);
  if (Number(process.versions.node.split('.')[0]) !== major) {
    throw new ActionLoadError(
      `action.yml runs.using is ${manifest.using}, and this harness runs on Node ${process.versions.node}: run the tests with Node ${major}`,
    );
  }
  const handEnv = Object.keys(options.env ?? {}).filter((k) => k.startsWith('INPUT_'));
  if (handEnv.length > 0)
    throw new ActionLoadError(
      `${handEnv.join(', ')}: give inputs as the with: block (inputs), which action.yml declares`,
    );
  const runner = await mkdtemp(path.join(options.scratch ?? os.tmpdir(), 'runner-'));
  const runnerTemp = path.join(runner, 'temp');
  await mkdir(runnerTemp);
  const output = path.join(runner, 'output');
  const stepSummary = path.join(runner, 'summary.md');
  await writeFile(output, '');
  await writeFile(stepSummary, '');
  const job = actionEnv(services, { workspace: options.workspace, runnerTemp, stepSummary, output });
  const contexts: ExpressionContexts = {
    github: githubContext(job, options.githubToken ?? JOB_TOKEN),
    runner: { os: 'Linux', temp: runnerTemp, environment: job['RUNNER_ENVIRONMENT'] },
    ...options.contexts,
  };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    ...job,
    ...inputEnvironment(manifest, options.inputs, contexts),
    ...options.env,
  };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const result = await runProcess(process.execPath, [manifest.main], env, options.workspace);
  return {
    ...result,
    outputs: parseOutputs(await readFile(output, 'utf8')),
    summary: await readFile(stepSummary, 'utf8'),
    errors: result.stdout.split('\n').filter((l) => l.startsWith('::error::')),
    runnerTemp,
  };
}

/** The `github` context of the job: its token, and the values the runner also exports as GITHUB_* variables. */
export function githubContext(job: Record<string, string>, token: string): Record<string, unknown> {
  const context: Record<string, unknown> = { token, event: {} };
  for (const [name, value] of Object.entries(job))
    if (name.startsWith('GITHUB_')) context[name.slice('GITHUB_'.length).toLowerCase()] = value;
  return context;
}
