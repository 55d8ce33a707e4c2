// Hashes files as the search finds them. Every thread hashing takes the next file from one shared
// counter (hash-protocol.ts): worker threads from when enough files have queued up, and the main
// thread once the search is done. A worker costs 50–100 ms to start, so the main thread hashes
// meanwhile, and a run that ends sooner than a worker could help never waits for one.
import { availableParallelism } from 'node:os';
import { setImmediate } from 'node:timers/promises';
import { ProvenanceError } from '../common/errors.ts';
import { DEFAULT_ALGORITHMS, hashFile, hashFileSync } from './hash-file.ts';
import type { Digests, HashAlgorithm } from './hash-file.ts';
import { HashWorkers } from './hash-workers.ts';
import type { HashedFile, HashFailure } from './hash-protocol.ts';
import { STOP_CLAIMS, toFailure } from './hash-protocol.ts';
import type { Progress } from './progress.ts';
import { ProgressMeter } from './progress.ts';
import { show } from './show.ts';

// Workers start once this many files (of sizes not yet known: a tree walk does not stat them) or
// bytes are queued, or once the main thread has hashed alone for POOL_AFTER_MS with files left.
const POOL_MIN_FILES = 256;
const POOL_MIN_BYTES = 64 * 1024 * 1024;
const POOL_AFTER_MS = 30;
// Paths go to the workers in batches while the search goes on.
const SEND_BATCH = 1000;
// The main thread reads files up to this size with blocking reads (a few milliseconds at most);
// larger ones with async reads, which overlap reading with hashing and leave the event loop free.
const SYNC_MAX_BYTES = 8 * 1024 * 1024;
// Between blocking reads the main thread lets the event loop run at least this often, so worker
// replies (and progress) are not held up.
const TURN_MS = 20;

export interface HashOptions {
  /** Threads hashing, this one included; default `os.availableParallelism()`. 1 hashes on this thread only. */
  concurrency?: number;
  onProgress?: (p: Progress) => void;
  /** Digests to compute in the same pass; default SHA-256 only. */
  algorithms?: readonly HashAlgorithm[];
  /**
   * Default true. False leaves every file to `concurrency` workers once two are queued, this
   * thread only coordinating: tests use it to exercise the workers whatever the timing.
   */
  hashOnMainThread?: boolean;
}

export class HashQueue {
  readonly #algorithms: readonly HashAlgorithm[];
  readonly #meter: ProgressMeter;
  readonly #mainHashes: boolean;
  readonly #workerCount: number;
  /** Every file submitted, once, by index: the index is what threads take from the counter. */
  readonly #paths: string[] = [];
  /** Workspace-relative names for messages, by index. */
  readonly #labels: string[] = [];
  readonly #indices = new Map<string, number>();
  /** Digests by index (an array: a second map keyed by path cost ~1 µs a file at 100,000 files). */
  readonly #results: (Digests | undefined)[] = [];
  #done = 0;
  readonly #claims = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  #knownBytes = 0;
  /** Paths sent to the workers so far. */
  #sent = 0;
  /** digests() was called: no more files will come. */
  #ended = false;
  #workers: HashWorkers | undefined;
  #failure: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(options: HashOptions = {}) {
    const concurrency = Math.max(1, Math.floor(options.concurrency ?? availableParallelism()));
    this.#mainHashes = options.hashOnMainThread ?? true;
    this.#workerCount = this.#mainHashes ? concurrency - 1 : concurrency;
    this.#meter = new ProgressMeter(options.onProgress);
    this.#algorithms = options.algorithms ?? DEFAULT_ALGORITHMS;
  }

  /** Queues a regular file by its real path (`size` if known); a path already queued is ignored. */
  submit(path: string, size: number | undefined, label: string): void {
    if (this.#indices.has(path)) return;
    this.#indices.set(path, this.#paths.length);
    this.#paths.push(path);
    this.#labels.push(label);
    this.#knownBytes += size ?? 0;
    if (this.#workers) {
      if (this.#paths.length - this.#sent >= SEND_BATCH) this.#send();
      return;
    }
    const enough = !this.#mainHashes || this.#paths.length >= POOL_MIN_FILES || this.#knownBytes >= POOL_MIN_BYTES;
    if (this.#workerCount > 0 && this.#paths.length > 1 && enough) this.#startWorkers();
  }

  /** Waits for every queued file; returns the digests of a queued file by its real path. */
  async digests(): Promise<(path: string) => Digests | undefined> {
    this.#ended = true;
    if (this.#workers) {
      this.#send();
      this.#workers.end();
    }
    if (this.#mainHashes || !this.#workers) await this.#hashHere();
    while (!this.#failure && this.#done < this.#paths.length) {
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    if (this.#failure) throw this.#failure;
    this.#meter.finish();
    return (path) => this.#results[this.#indices.get(path) ?? -1];
  }

  /** Stops the workers; call always (in `finally`), or a live worker keeps hashing for nothing. */
  close(): void {
    this.#workers?.close();
  }

  /** This thread's share: files taken from the counter until none are left. */
  async #hashHere(): Promise<void> {
    const start = performance.now();
    let turn = start;
    while (!this.#failure) {
      const index = Atomics.add(this.#claims, 0, 1);
      const path = this.#paths[index];
      if (path === undefined) return;
      try {
        const small = hashFileSync(path, this.#algorithms, { maxBytes: SYNC_MAX_BYTES });
        const { bytes: _size, ...digests } =
          small ?? (await hashFile(path, (n) => this.#meter.add(0, n), this.#algorithms));
        this.#results[index] = digests;
        this.#done++;
        this.#meter.add(1, small?.bytes ?? 0);
      } catch (err) {
        this.#fail(this.#error(index, toFailure(err)));
        return;
      }
      const now = performance.now();
      const left = this.#paths.length - index - 1;
      if (!this.#workers && this.#workerCount > 0 && left > 1 && now - start >= POOL_AFTER_MS) this.#startWorkers();
      if (now - turn >= TURN_MS) {
        turn = now;
        await setImmediate();
      }
    }
  }

  #startWorkers(): void {
    this.#workers = new HashWorkers(this.#workerCount, this.#claims.buffer, this.#algorithms, {
      hashed: (files, bytes) => this.#hashed(files, bytes),
      failed: (index, failure) => this.#fail(this.#error(index, failure)),
      crashed: (err) => this.#fail(err),
    });
    this.#send();
    if (this.#ended) this.#workers.end();
  }

  #send(): void {
    if (this.#sent === this.#paths.length) return;
    this.#workers?.send(this.#paths.slice(this.#sent));
    this.#sent = this.#paths.length;
  }

  #hashed(files: readonly HashedFile[], bytes: number): void {
    for (const { index, digests } of files) this.#results[index] = digests;
    this.#done += files.length;
    this.#meter.add(files.length, bytes);
    this.#wake?.();
  }

  #fail(err: Error): void {
    this.#failure ??= err;
    Atomics.store(this.#claims, 0, STOP_CLAIMS); // the other threads take no more files
    this.#wake?.();
  }

  #error(index: number, failure: HashFailure): ProvenanceError {
    const label = show(this.#labels[index] ?? this.#paths[index] ?? '');
    if (failure.notRegular) {
      return new ProvenanceError(
        'SUBJECT_NOT_REGULAR',
        `subject-path file ${label} stopped being a regular file while being hashed; expected a file`,
        'Make sure no other step rewrites the artifacts while this action runs.',
      );
    }
    return new ProvenanceError(
      'SUBJECT_UNREADABLE',
      `subject-path file ${label} cannot be read: ${failure.reason}; expected a readable file`,
      'Check the runner user may read the file (permissions) and that no other step deletes it meanwhile.',
    );
  }
}
