// Hashes files as the globber finds them. Files queue up; once there are enough of them (or
// enough bytes) to pay for starting worker threads, a pool starts and drains the queue while
// matching goes on. If it never does, the few files are hashed on this thread at the end.
import { availableParallelism } from 'node:os';
import { ProvenanceError } from '../errors.ts';
import { DEFAULT_ALGORITHMS, hashFile } from './hash-file.ts';
import type { Digests, HashAlgorithm } from './hash-file.ts';
import { HashWorkers, WorkerHashError } from './hash-workers.ts';
import type { HashFailure } from './hash-protocol.ts';
import { toFailure } from './hash-protocol.ts';
import type { Progress } from './progress.ts';
import { ProgressMeter } from './progress.ts';
import { show } from './show.ts';

// A worker pool costs tens of milliseconds to start; below these it cannot win that back.
const POOL_MIN_FILES = 8;
const POOL_MIN_BYTES = 64 * 1024 * 1024;

export interface HashOptions {
  /** Worker threads; default `os.availableParallelism()`. 1 hashes on this thread. */
  concurrency?: number;
  onProgress?: (p: Progress) => void;
  /** Digests to compute in the same pass; default SHA-256 only. */
  algorithms?: readonly HashAlgorithm[];
}

export class HashQueue {
  readonly #concurrency: number;
  readonly #algorithms: readonly HashAlgorithm[];
  readonly #meter: ProgressMeter;
  /** Real path → label for messages; every file submitted, in order, once. */
  readonly #labels = new Map<string, string>();
  readonly #pending: string[] = [];
  #bytes = 0;
  #workers: HashWorkers | undefined;

  constructor(options: HashOptions = {}) {
    this.#concurrency = Math.max(1, Math.floor(options.concurrency ?? availableParallelism()));
    this.#meter = new ProgressMeter(options.onProgress);
    this.#algorithms = options.algorithms ?? DEFAULT_ALGORITHMS;
  }

  /** Queues a regular file by its real path; a path already queued is ignored. */
  submit(path: string, size: number, label: string): void {
    if (this.#labels.has(path)) return;
    this.#labels.set(path, label);
    this.#bytes += size;
    if (this.#workers) return this.#workers.add(path);
    this.#pending.push(path);
    const enough = this.#pending.length >= POOL_MIN_FILES || this.#bytes >= POOL_MIN_BYTES;
    if (this.#concurrency > 1 && this.#pending.length > 1 && enough) {
      this.#workers = new HashWorkers(this.#concurrency, this.#meter, this.#algorithms);
      for (const p of this.#pending.splice(0)) this.#workers.add(p);
    }
  }

  /** Waits for every queued file: real path → digests. */
  async digests(): Promise<Map<string, Digests>> {
    if (this.#workers) {
      try {
        return await this.#workers.drain();
      } catch (err) {
        if (err instanceof WorkerHashError) throw this.#error(err.path, err.failure);
        throw err;
      }
    }
    const out = new Map<string, Digests>();
    for (const path of this.#pending) {
      try {
        const { bytes: _bytes, ...digests } = await hashFile(path, (n) => this.#meter.add(0, n), this.#algorithms);
        out.set(path, digests);
      } catch (err) {
        throw this.#error(path, toFailure(err));
      }
      this.#meter.add(1, 0);
    }
    return out;
  }

  /** Stops the workers; call always (in `finally`), or a live worker keeps the process up. */
  async close(): Promise<void> {
    await this.#workers?.close();
  }

  #error(path: string, failure: HashFailure): ProvenanceError {
    const label = show(this.#labels.get(path) ?? path);
    if (failure.notRegular) {
      return new ProvenanceError('SUBJECT_NOT_REGULAR', `subject-path file ${label} stopped being a regular file while being hashed; expected a file`, 'Make sure no other step rewrites the artifacts while this action runs.');
    }
    return new ProvenanceError('SUBJECT_UNREADABLE', `subject-path file ${label} cannot be read: ${failure.reason}; expected a readable file`, 'Check the runner user may read the file (permissions) and that no other step deletes it meanwhile.');
  }
}
