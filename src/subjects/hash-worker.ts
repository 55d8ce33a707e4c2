// Worker thread entry: hashes the files the pool sends it, one reply per job. Failures are
// replied, not thrown, so the main thread can name the file in a proper ProvenanceError.
import { parentPort } from 'node:worker_threads';
import { hashFile } from './hash-file.ts';
import type { HashJob, HashReply } from './hash-protocol.ts';
import { toFailure } from './hash-protocol.ts';

const port = parentPort;
if (!port) throw new Error('hash-worker must run as a worker thread');

port.on('message', (job: HashJob) => {
  hashFile(job.path).then(
    ({ sha256, bytes }) => port.postMessage({ id: job.id, sha256, bytes } satisfies HashReply),
    (err: unknown) => port.postMessage({ id: job.id, failure: toFailure(err) } satisfies HashReply),
  );
});
