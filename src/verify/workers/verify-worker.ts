// Worker thread entry for verify mode's pool (crypto-pool.ts): parses the trusted roots once, then
// checks each batch of bundles it is sent, replying with one result per bundle in order. An error
// that is not a verdict is replied as data too, so the main thread throws it where the in-process
// path would have.
import { parentPort, workerData } from 'node:worker_threads';
import { runCryptoJob, revivedJob, toRemoteError, type CryptoJob } from './crypto-jobs.ts';
import type { ToWorker, FromWorker, WorkerSetup } from './crypto-pool.ts';
import { createTrust } from '../trust/index.ts';

const port = parentPort;
if (!port) throw new Error('verify-worker must run as a worker thread');

const trust = createTrust((workerData as WorkerSetup).roots);

const run = (job: CryptoJob): FromWorker['results'][number] => {
  try {
    return runCryptoJob(revivedJob(job), trust);
  } catch (err) {
    return { error: toRemoteError(err) };
  }
};

port.on('message', ({ start, jobs }: ToWorker) => {
  port.postMessage({ start, results: jobs.map(run) } satisfies FromWorker);
});
