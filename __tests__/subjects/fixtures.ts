// Shared test helpers: a throw-away workspace in the temp dir, and an assertion that a promise
// fails with a given ProvenanceError code and mentions the values the user needs to see.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ProvenanceError } from '../../src/common/errors.ts';
import type { ErrorCode } from '../../src/common/errors.ts';

// @actions/glob logs through core.debug, which always writes `::debug::` workflow commands to
// stdout (the runner hides them); outside a runner they only bury the test report.
const write = process.stdout.write.bind(process.stdout);
const quiet = (chunk: string | Uint8Array, ...rest: never[]): boolean =>
  typeof chunk === 'string' && chunk.startsWith('::debug::') ? true : write(chunk, ...rest);
process.stdout.write = quiet;

export interface TempWorkspace {
  dir: string;
  /** Writes `content` at the workspace-relative `rel`, creating parent directories. */
  write(rel: string, content: string | Uint8Array): Promise<string>;
  remove(): Promise<void>;
}

export async function tempWorkspace(prefix = 'subjects-'): Promise<TempWorkspace> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return {
    dir,
    async write(rel, content) {
      const file = path.join(dir, rel);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export async function rejectsWith(
  promise: Promise<unknown>,
  code: ErrorCode,
  ...mentions: string[]
): Promise<ProvenanceError> {
  const err = await promise.then(
    () => assert.fail(`expected ${code}, but it succeeded`),
    (e: unknown) => e,
  );
  return checkError(err, code, mentions);
}

export function throwsWith(fn: () => unknown, code: ErrorCode, ...mentions: string[]): ProvenanceError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  return checkError(err, code, mentions);
}

function checkError(err: unknown, code: ErrorCode, mentions: string[]): ProvenanceError {
  assert.ok(err instanceof ProvenanceError, `expected a ProvenanceError, got ${String(err)}`);
  assert.equal(err.code, code, err.toLine());
  const line = err.toLine();
  assert.ok(!line.includes('\n'), `error must be one line: ${line}`);
  for (const m of mentions) assert.ok(line.includes(m), `expected ${JSON.stringify(m)} in: ${line}`);
  return err;
}
