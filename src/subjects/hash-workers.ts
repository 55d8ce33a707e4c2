// The hash worker threads: started with the shared claims counter, sent every path (they take
// indices from the counter, so a path sent is not yet a file assigned), and heard from in batches.
// Memory stays bounded whatever the number or size of files: a worker holds one read buffer, and
// the paths not yet hashed.
import { Worker } from 'node:worker_threads';
import type { HashAlgorithm } from './hash-file.ts';
import type { FromWorker, HashedFile, HashFailure, ToWorker, WorkerSetup } from './hash-protocol.ts';
import { hashWorkerUrl } from './worker-url.ts';

export interface WorkerEvents {
  hashed(files: readonly HashedFile[], bytes: number): void;
  /** A file a worker could not hash. */
  failed(index: number, failure: HashFailure): void;
  /** A worker died (a bug, or out of memory). */
  crashed(err: Error): void;
}

export class HashWorkers {
  readonly #workers: Worker[] = [];

  constructor(size: number, claims: SharedArrayBuffer, algorithms: readonly HashAlgorithm[], events: WorkerEvents) {
    const workerData: WorkerSetup = { claims, algorithms };
    for (let i = 0; i < size; i++) {
      const worker = new Worker(hashWorkerUrl(), { workerData });
      worker.on('message', (message: FromWorker) => {
        if (message.type === 'hashed') events.hashed(message.files, message.bytes);
        else events.failed(message.index, message.failure);
      });
      worker.on('error', (err: Error) => events.crashed(err));
      worker.on('exit', (code) => events.crashed(new Error(`hash worker exited early with code ${code}`)));
      this.#workers.push(worker);
    }
  }

  /** Paths to hash, continuing the indices of those sent before. */
  send(paths: string[]): void {
    for (const worker of this.#workers) worker.postMessage({ type: 'paths', paths } satisfies ToWorker);
  }

  /** No more paths: a worker that finds none left goes idle. */
  end(): void {
    for (const worker of this.#workers) worker.postMessage({ type: 'end' } satisfies ToWorker);
  }

  /**
   * Stops the workers without waiting for them to exit (that wait, 5–20 ms, would be added to
   * every run): unreferenced, a worker still exiting does not keep the process up.
   */
  close(): void {
    for (const worker of this.#workers) {
      worker.removeAllListeners('exit');
      worker.unref();
      void worker.terminate();
    }
  }
}
