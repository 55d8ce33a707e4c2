// Hashes the matched files: on this thread for a handful (a worker pool costs tens of
// milliseconds to start), across a worker pool for many or for much data.
import { availableParallelism } from 'node:os';
import { ProvenanceError } from '../errors.ts';
import { hashFile } from './hash-file.ts';
import { hashInPool, PoolFailure } from './hash-pool.ts';
import type { HashFailure } from './hash-protocol.ts';
import { toFailure } from './hash-protocol.ts';
import type { Progress } from './progress.ts';
import { ProgressMeter } from './progress.ts';
import { show } from './show.ts';

export interface FileToHash {
  /** Path opened (the real path). */
  path: string;
  /** Workspace-relative path shown in messages. */
  label: string;
  size: number;
}

const POOL_MIN_FILES = 8;
const POOL_MIN_BYTES = 64 * 1024 * 1024;

export interface HashOptions {
  concurrency?: number;
  onProgress?: (p: Progress) => void;
}

/** SHA-256 hex of each file, in order. */
export async function hashFiles(files: readonly FileToHash[], options: HashOptions = {}): Promise<string[]> {
  const meter = new ProgressMeter(options.onProgress);
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? availableParallelism()));
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  const pool = concurrency > 1 && files.length > 1 && (files.length >= POOL_MIN_FILES || bytes >= POOL_MIN_BYTES);
  if (pool) {
    try {
      return await hashInPool(files.map((f) => f.path), Math.min(concurrency, files.length), meter);
    } catch (err) {
      if (err instanceof PoolFailure) throw failureError(files[err.index]?.label ?? '?', err.failure);
      throw err;
    }
  }
  const digests: string[] = [];
  for (const f of files) {
    try {
      digests.push((await hashFile(f.path, (n) => meter.add(0, n))).sha256);
    } catch (err) {
      throw failureError(f.label, toFailure(err));
    }
    meter.add(1, 0);
  }
  return digests;
}

function failureError(label: string, failure: HashFailure): ProvenanceError {
  if (failure.notRegular) {
    return new ProvenanceError('SUBJECT_NOT_REGULAR', `subject-path file ${show(label)} stopped being a regular file while being hashed; expected a file`, 'Make sure no other step rewrites the artifacts while this action runs.');
  }
  return new ProvenanceError('SUBJECT_UNREADABLE', `subject-path file ${show(label)} cannot be read: ${failure.reason}; expected a readable file`, 'Check the runner user may read the file (permissions) and that no other step deletes it meanwhile.');
}
