// Verify mode's cryptographic checks over many bundles, on every core. Below POOL_THRESHOLD
// bundles (or on one core) they run in this thread: starting a worker and parsing the trusted
// roots again in it costs more than it saves. Otherwise this thread is one lane and a worker per
// other core another: each worker gets the trusted roots once (as JSON; it parses them once) and
// the bundles in batches, two in flight so it never waits for the next, while this thread checks
// a few bundles at a time between its replies. Results come back as data and are put back in
// bundle order. The verdicts are the in-process path's (crypto-jobs.ts): same function, same data.
// A worker takes ~0.1 s of CPU to start (Node's own bootstrap, mostly) and then runs cold: verify
// mode starts its workers as soon as the bundle files' size says there will be many bundles
// (prestartCryptoWorkers), so that this happens while the bundles are still being read.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { fromRemoteError, runCryptoJob, type CryptoJob, type CryptoResult, type RemoteError } from './crypto-jobs.ts';
import type { Trust, TrustedRootJSON } from '../trust/index.ts';
import { workerUrl } from '../../common/worker-url.ts';
import { stringRecord } from '../../common/json.ts';

/**
 * A worker's result as this thread would have made it. Structured clone gives every object
 * Object.prototype back, and subject digests are prototype-free records here (keys come from the bundle:
 * src/common/json.ts), so they are made so again: a result must not depend on the lane that computed it.
 */
function asInThisThread(result: CryptoResult): CryptoResult {
  for (const subject of result.verified?.statement?.subject ?? []) subject.digest = stringRecord(subject.digest);
  return result;
}

/** From this many bundles on, workers are worth starting. */
export const POOL_THRESHOLD = 64;
/** Bundle files this large hold POOL_THRESHOLD bundles or more (a bundle is rarely under 2 KiB). */
export const PRESTART_BYTES = POOL_THRESHOLD * 2048;
// Bundles per message to a worker at most: enough that messages cost little.
const MAX_BATCH = 32;
// Bundles this thread checks between looks at the workers' replies (about 2 ms each).
const MAIN_BATCH = 4;

export interface WorkerSetup {
  roots: readonly TrustedRootJSON[];
}
export interface ToWorker {
  /** Index of the batch's first job. */
  start: number;
  jobs: CryptoJob[];
}
export interface FromWorker {
  start: number;
  results: (CryptoResult | { error: RemoteError })[];
}

export interface PoolOptions {
  /** Worker threads to start; 0 runs every job in this thread. Default: by job count and cores. */
  workers?: number;
  /** Whether this thread checks bundles too while the workers do. Default: yes. */
  mainThread?: boolean;
}

type Outcome = CryptoResult | { thrown: unknown };

/** Each job's result, in job order; throws what the first job in order that threw (not a verdict) threw. */
export async function runCryptoJobs(
  jobs: readonly CryptoJob[],
  trust: Trust,
  options: PoolOptions = {},
): Promise<CryptoResult[]> {
  const workers = Math.min(options.workers ?? defaultWorkers(jobs.length), jobs.length);
  if (workers <= 0) {
    discardPrestarted();
    return jobs.map((job) => runCryptoJob(job, trust));
  }
  const outcomes = await inWorkers(jobs, trust, workers, options.mainThread ?? true);
  return outcomes.map((outcome) => {
    if ('thrown' in outcome) throw outcome.thrown;
    return outcome;
  });
}

// This thread is one of the lanes: a worker per other core.
function defaultWorkers(count: number): number {
  const cores = availableParallelism();
  return count < POOL_THRESHOLD || cores < 2 ? 0 : cores - 1;
}

interface Started {
  worker: Worker;
  /** Whether it failed or exited before it was given work. */
  dead: boolean;
}

let prestarted: { trust: Trust; workers: Started[] } | undefined;

/**
 * Starts the workers runCryptoJobs will use for `trust`, ahead of it: they boot while this thread
 * reads bundles. They do not keep the process alive until runCryptoJobs takes them; a run that
 * verifies few bundles (or none) ends them.
 */
export function prestartCryptoWorkers(trust: Trust): void {
  if (prestarted?.trust === trust) return;
  discardPrestarted();
  const count = defaultWorkers(POOL_THRESHOLD);
  if (count <= 0) return;
  prestarted = {
    trust,
    workers: Array.from({ length: count }, () => {
      const started: Started = { worker: startWorker(trust), dead: false };
      started.worker.unref();
      // Until it is given work: an error here is the pool's to replace it, never the process's.
      started.worker.on('error', () => (started.dead = true));
      started.worker.on('exit', () => (started.dead = true));
      return started;
    }),
  };
}

function startWorker(trust: Trust): Worker {
  return new Worker(workerUrl('verify-worker', import.meta.url), {
    workerData: { roots: trust.roots } satisfies WorkerSetup,
  });
}

// The prestarted workers for `trust` that are alive (up to `count`), ready for work; the others ended.
function takePrestarted(trust: Trust, count: number): Worker[] {
  const taken: Worker[] = [];
  if (prestarted?.trust === trust) {
    for (const { worker, dead } of prestarted.workers) {
      worker.removeAllListeners();
      if (dead || taken.length >= count) {
        worker.terminate().catch(() => undefined);
      } else {
        worker.ref();
        taken.push(worker);
      }
    }
    prestarted = undefined;
  }
  discardPrestarted();
  return taken;
}

function discardPrestarted(): void {
  for (const { worker } of prestarted?.workers ?? []) {
    worker.removeAllListeners();
    worker.on('error', () => undefined);
    worker.terminate().catch(() => undefined);
  }
  prestarted = undefined;
}

function inWorkers(jobs: readonly CryptoJob[], trust: Trust, count: number, mainThread: boolean): Promise<Outcome[]> {
  const outcomes = new Array<Outcome>(jobs.length);
  const lanes = count + (mainThread ? 1 : 0);
  const workers: Worker[] = [];
  let next = 0;
  let inFlight = 0;
  // Guided batches: large while much is left (few messages), small towards the end, so no lane
  // is still busy with a large batch when the others have finished.
  const take = (max: number): { start: number; end: number } => {
    const start = next;
    next = Math.min(jobs.length, start + Math.max(1, Math.min(max, Math.ceil((jobs.length - start) / (lanes * 4)))));
    return { start, end: next };
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (err?: Error): void => {
      if (settled) return;
      settled = true;
      for (const worker of workers) {
        worker.removeAllListeners();
        // Whatever a worker still reports or fails at is moot now: the results are complete or discarded.
        worker.on('error', () => undefined);
        worker.terminate().catch(() => undefined);
      }
      if (err) reject(err);
      else resolve(outcomes);
    };
    const done = (): boolean => next >= jobs.length && inFlight === 0;
    const send = (worker: Worker): void => {
      if (next >= jobs.length) return;
      const { start, end } = take(MAX_BATCH);
      inFlight++;
      worker.postMessage({ start, jobs: jobs.slice(start, end) } satisfies ToWorker);
    };
    const ready = takePrestarted(trust, count);
    for (let i = 0; i < count; i++) {
      const worker = ready[i] ?? startWorker(trust);
      workers.push(worker);
      worker.on('message', ({ start, results }: FromWorker) => {
        results.forEach(
          (result, j) =>
            (outcomes[start + j] =
              'error' in result ? { thrown: fromRemoteError(result.error) } : asInThisThread(result)),
        );
        inFlight--;
        send(worker);
        if (done()) settle();
      });
      worker.on('error', (err: Error) => settle(err));
      worker.on('exit', (code) => settle(new Error(`verify worker exited early with code ${code}`)));
      // Two batches in flight: a worker never waits for this thread to hand it the next.
      send(worker);
      send(worker);
    }
    if (!mainThread) return;
    // This thread's lane: a few bundles at a time, yielding in between so that workers' replies
    // are taken and answered with their next batch.
    const step = (): void => {
      if (settled) return;
      const { start, end } = take(MAIN_BATCH);
      jobs.slice(start, end).forEach((job, j) => (outcomes[start + j] = runLocal(job, trust)));
      if (done()) settle();
      else if (next < jobs.length) setImmediate(step);
    };
    setImmediate(step);
  });
}

function runLocal(job: CryptoJob, trust: Trust): Outcome {
  try {
    return runCryptoJob(job, trust);
  } catch (err) {
    return { thrown: err };
  }
}
