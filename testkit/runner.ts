// Runs the bundled action (dist/index.js) the way a GitHub runner does: INPUT_* and GITHUB_*
// variables, the OIDC token endpoint, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. Asynchronous,
// because the local services it talks to live in this test process.

import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { actionEnv, type LocalServices } from './index.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');

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

export async function runProcess(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
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

export async function runAction(
  services: Pick<LocalServices, 'issuer'>,
  options: {
    workspace: string;
    inputs: Record<string, string>;
    env?: Record<string, string | undefined>;
    /** Where the runner's own directories (temp, output, summary) are made; the caller removes it. */
    scratch?: string;
  },
): Promise<ActionRun> {
  const runner = await mkdtemp(path.join(options.scratch ?? os.tmpdir(), 'runner-'));
  const runnerTemp = path.join(runner, 'temp');
  await mkdir(runnerTemp);
  const output = path.join(runner, 'output');
  const stepSummary = path.join(runner, 'summary.md');
  await writeFile(output, '');
  await writeFile(stepSummary, '');
  const inputs = Object.fromEntries(Object.entries(options.inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    ...actionEnv(services, { workspace: options.workspace, runnerTemp, stepSummary, output }),
    ...inputs,
    ...options.env,
  };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  const result = await runProcess(process.execPath, [path.join(REPO_ROOT, 'dist', 'index.js')], env, options.workspace);
  return {
    ...result,
    outputs: parseOutputs(await readFile(output, 'utf8')),
    summary: await readFile(stepSummary, 'utf8'),
    errors: result.stdout.split('\n').filter((l) => l.startsWith('::error::')),
    runnerTemp,
  };
}
