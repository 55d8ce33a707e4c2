// Messages between the main thread and the hash workers, and how a failure travels between
// them (an Error cannot cross the thread boundary with its errno code intact).
import { NotRegularFileError } from './hash-file.ts';
import type { Digests, HashAlgorithm } from './hash-file.ts';
import { reason } from './os-reason.ts';

export interface HashJob {
  id: number;
  path: string;
  algorithms: readonly HashAlgorithm[];
}

export interface HashFailure {
  notRegular: boolean;
  /** The OS's reason, e.g. "EACCES: permission denied". */
  reason: string;
}

export type HashReply = { id: number; digests: Digests; bytes: number } | { id: number; failure: HashFailure };

export function toFailure(err: unknown): HashFailure {
  return { notRegular: err instanceof NotRegularFileError, reason: reason(err) };
}
