// Cold start: from spawning `node dist/index.js` to its first line of output, against `node -e 0`
// measured the same way in the same run. With no inputs the action fails at once with its
// one-line error, so the time is loading the bundle and reaching the first line — what a user
// waits for before any work starts. Also reports the size of what is loaded.

import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { BenchRow } from './table.ts';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const RUNS = 15;

/** Milliseconds from spawn to the first byte on stdout (or exit, for a program that prints nothing). */
function firstOutput(args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: REPO,
      env: { PATH: process.env['PATH'] },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let done = false;
    const finish = (): void => {
      if (!done) {
        done = true;
        resolve(performance.now() - start);
      }
    };
    child.stdout.once('data', finish);
    child.on('exit', finish);
    child.on('error', reject);
  });
}

async function median(args: readonly string[]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await firstOutput(args));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

export async function coldStartRows(): Promise<{ rows: BenchRow[]; bundleBytes: number }> {
  const action = await median([path.join('dist', 'index.js')]);
  const baseline = await median(['-e', '0']);
  const bundleBytes = (await stat(path.join(REPO, 'dist', 'index.js'))).size;
  return {
    rows: [
      {
        figure: `cold start to first log line (median of ${RUNS})`,
        ours: action,
        baseline,
        baselineName: 'node -e 0',
        unit: 'ms',
      },
    ],
    bundleBytes,
  };
}
