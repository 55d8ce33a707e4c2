// Timing helpers: best-of-N wall time, and running a baseline command.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Best wall time in ms over `times` runs, and the last run's result. */
export async function bestOf<T>(times: number, fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  let best = Infinity;
  let result: T | undefined;
  for (let i = 0; i < times; i++) {
    const start = performance.now();
    result = await fn();
    best = Math.min(best, performance.now() - start);
  }
  if (result === undefined) throw new Error('bestOf needs at least one run');
  return { ms: best, result };
}

/** Runs a command and returns its stdout (throws if it fails). */
export async function command(file: string, args: readonly string[], cwd?: string): Promise<string> {
  const { stdout } = await run(file, args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
  return stdout;
}

/** `openssl dgst -sha256` output (`SHA2-256(path)= hex` or `SHA256(path)= hex`) → path → hex. */
export function parseOpenssl(out: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of out.trim().split('\n')) {
    const m = /^SHA2?-?256\((.*)\)= ([0-9a-f]{64})$/.exec(line);
    if (!m?.[1] || !m[2]) throw new Error(`unexpected openssl output: ${line}`);
    map.set(m[1], m[2]);
  }
  return map;
}
