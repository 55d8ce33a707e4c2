// Spreads many files over worker threads so every core hashes. Jobs are fed from a queue, a
// few per worker at a time, so memory stays bounded however many files there are.
import { Worker } from 'node:worker_threads';
import type { HashFailure, HashJob, HashReply } from './hash-protocol.ts';
import type { ProgressMeter } from './progress.ts';
import { hashWorkerUrl } from './worker-url.ts';

// Two jobs in flight per worker: the next one is already queued when a file finishes.
const IN_FLIGHT = 2;

export class PoolFailure extends Error {
  readonly index: number;
  readonly failure: HashFailure;
  constructor(index: number, failure: HashFailure) {
    super(failure.reason);
    this.index = index;
    this.failure = failure;
  }
}

/** SHA-256 hex of each path, in order. Rejects with PoolFailure for a file that failed. */
export async function hashInPool(paths: readonly string[], size: number, meter: ProgressMeter): Promise<string[]> {
  const digests = new Array<string>(paths.length);
  const workers: Worker[] = [];
  try {
    for (let i = 0; i < size; i++) workers.push(new Worker(hashWorkerUrl()));
    await new Promise<void>((resolve, reject) => {
      let next = 0;
      let done = 0;
      let settled = false;
      const fail = (err: Error): void => {
        settled = true;
        reject(err);
      };
      const feed = (w: Worker, slots: number): void => {
        for (; slots > 0 && next < paths.length; slots--, next++) {
          w.postMessage({ id: next, path: paths[next] ?? '' } satisfies HashJob);
        }
      };
      for (const w of workers) {
        w.on('message', (reply: HashReply) => {
          if (settled) return;
          if ('failure' in reply) return fail(new PoolFailure(reply.id, reply.failure));
          digests[reply.id] = reply.sha256;
          meter.add(1, reply.bytes);
          if (++done === paths.length) {
            settled = true;
            return resolve();
          }
          feed(w, 1);
        });
        w.on('error', fail);
        w.on('exit', (code) => {
          if (!settled) fail(new Error(`hash worker exited early with code ${code}`));
        });
        feed(w, IN_FLIGHT);
      }
    });
    return digests;
  } finally {
    // Always, also on failure: a live worker would keep the process from exiting.
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
