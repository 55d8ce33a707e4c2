// Messages between the main thread and the hash workers, and how a failure travels between
// them (an Error cannot cross the thread boundary with its errno code intact).
//
// Work is shared through one counter in shared memory rather than sent file by file: every
// thread hashing (the workers and the main thread) takes the next file's index from it with
// Atomics.add. Files of any size then spread evenly with no round trip per file, and a worker
// that starts late simply takes what is left.
import { NotRegularFileError } from './hash-file.ts';
import type { Digests, HashAlgorithm } from './hash-file.ts';
import { reason } from './os-reason.ts';

/** Given to each worker at start. */
export interface WorkerSetup {
  /** Int32Array over it: [0] is the index of the next file to take. */
  claims: SharedArrayBuffer;
  algorithms: readonly HashAlgorithm[];
}

/** Main → worker: more paths (their indices follow the previous ones), then the end of the list. */
export type ToWorker = { type: 'paths'; paths: string[] } | { type: 'end' };

export interface HashedFile {
  index: number;
  digests: Digests;
}

/** Worker → main: files hashed and bytes read since the last message (bytes also mid-file, for progress). */
export type FromWorker =
  { type: 'hashed'; files: HashedFile[]; bytes: number } | { type: 'failed'; index: number; failure: HashFailure };

/** Claims at or above this mean stop: set when one thread fails so the others take no more. */
export const STOP_CLAIMS = 2 ** 30;

export interface HashFailure {
  notRegular: boolean;
  /** The OS's reason, e.g. "EACCES: permission denied". */
  reason: string;
}

export function toFailure(err: unknown): HashFailure {
  return { notRegular: err instanceof NotRegularFileError, reason: reason(err) };
}
