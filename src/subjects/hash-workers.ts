// A pool of hash worker threads fed from a queue: each worker holds at most a few jobs,
// so memory stays bounded however many files are added. Files may be added while it runs.
import { Worker } from 'node:worker_threads';
import type { Digests, HashAlgorithm } from './hash-file.ts';
import type { HashFailure, HashJob, HashReply } from './hash-protocol.ts';
import type { ProgressMeter } from './progress.ts';
import { hashWorkerUrl } from './worker-url.ts';

// A few jobs queued per worker (paths only; a worker hashes one file at a time), so it does
// not sit idle while this thread is busy searching and has not yet read its replies.
const IN_FLIGHT = 4;

/** A file a worker could not hash; the caller turns it into a ProvenanceError. */
export class WorkerHashError extends Error {
  readonly path: string;
  readonly failure: HashFailure;
  constructor(path: string, failure: HashFailure) {
    super(failure.reason);
    this.path = path;
    this.failure = failure;
  }
}

interface Slot {
  worker: Worker;
  busy: number;
}

export class HashWorkers {
  readonly #meter: ProgressMeter;
  readonly #algorithms: readonly HashAlgorithm[];
  readonly #slots: Slot[] = [];
  readonly #queue: string[] = [];
  #head = 0; // index into #queue, so taking a job is O(1)
  #nextId = 0;
  /** Job id → path, for the jobs sent and not yet answered. */
  readonly #sent = new Map<number, string>();
  readonly #digests = new Map<string, Digests>();
  #failure: Error | undefined;
  #wake: (() => void) | undefined;

  constructor(size: number, meter: ProgressMeter, algorithms: readonly HashAlgorithm[]) {
    this.#meter = meter;
    this.#algorithms = algorithms;
    for (let i = 0; i < size; i++) {
      const slot: Slot = { worker: new Worker(hashWorkerUrl()), busy: 0 };
      slot.worker.on('message', (reply: HashReply) => this.#reply(slot, reply));
      slot.worker.on('error', (err: Error) => this.#fail(err));
      slot.worker.on('exit', (code) => this.#fail(new Error(`hash worker exited early with code ${code}`)));
      this.#slots.push(slot);
    }
  }

  add(path: string): void {
    this.#queue.push(path);
    this.#feed();
  }

  /** Resolves when every added file is hashed: real path → digests. */
  async drain(): Promise<Map<string, Digests>> {
    while (!this.#failure && (this.#head < this.#queue.length || this.#sent.size > 0)) {
      await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    if (this.#failure) throw this.#failure;
    return this.#digests;
  }

  async close(): Promise<void> {
    this.#failure ??= new Error('hash workers closed');
    for (const { worker } of this.#slots) worker.removeAllListeners('exit');
    await Promise.all(this.#slots.map(({ worker }) => worker.terminate()));
  }

  #feed(): void {
    for (const slot of this.#slots) {
      while (slot.busy < IN_FLIGHT && this.#head < this.#queue.length && !this.#failure) {
        const path = this.#queue[this.#head++] ?? '';
        const id = this.#nextId++;
        this.#sent.set(id, path);
        slot.busy++;
        slot.worker.postMessage({ id, path, algorithms: this.#algorithms } satisfies HashJob);
      }
    }
    // Let the queue's array go once drained, or a long run would keep every path.
    if (this.#head === this.#queue.length) this.#queue.length = this.#head = 0;
  }

  #reply(slot: Slot, reply: HashReply): void {
    const path = this.#sent.get(reply.id) ?? '';
    this.#sent.delete(reply.id);
    slot.busy--;
    if ('failure' in reply) return this.#fail(new WorkerHashError(path, reply.failure));
    this.#digests.set(path, reply.digests);
    this.#meter.add(1, reply.bytes);
    this.#feed();
    this.#wake?.();
  }

  #fail(err: Error): void {
    this.#failure ??= err;
    this.#wake?.();
  }
}
