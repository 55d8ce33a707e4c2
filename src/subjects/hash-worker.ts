// Worker thread entry: hashes the files the pool sends it, one reply per job, with blocking
// reads (this thread has nothing else to do). Failures are replied, not thrown, so the main
// thread can name the file in a proper ProvenanceError.
import { parentPort } from 'node:worker_threads';
import { hashFileSync } from './hash-file.ts';
import type { HashJob, HashReply } from './hash-protocol.ts';
import { toFailure } from './hash-protocol.ts';

const port = parentPort;
if (!port) throw new Error('hash-worker must run as a worker thread');

port.on('message', (job: HashJob) => {
  let reply: HashReply;
  try {
    const { bytes, ...digests } = hashFileSync(job.path, job.algorithms);
    reply = { id: job.id, digests, bytes };
  } catch (err) {
    reply = { id: job.id, failure: toFailure(err) };
  }
  port.postMessage(reply);
});
