// Worker thread entry: takes file indices from the shared counter and hashes those files with
// blocking reads (this thread has nothing else to do), replying in batches. A failure is replied,
// not thrown, so the main thread can name the file in a proper ProvenanceError.
import { parentPort, workerData } from 'node:worker_threads';
import { hashFileSync } from './hash-file.ts';
import type { FromWorker, HashedFile, ToWorker, WorkerSetup } from './hash-protocol.ts';
import { toFailure } from './hash-protocol.ts';

// Replies are batched (a message per file would cost more than hashing a small file), but sent
// at least this often so the main thread's progress and its wait for the last file stay current.
const BATCH_FILES = 256;
const BATCH_MS = 50;

const port = parentPort;
if (!port) throw new Error('hash-worker must run as a worker thread');
const { claims: shared, algorithms } = workerData as WorkerSetup;
const claims = new Int32Array(shared);

/** The paths received, in chunks; chunks below every index this thread may still take are dropped. */
const chunks: { start: number; paths: string[] }[] = [];
let received = 0;
let ended = false;
let stopped = false;
/** An index taken before its path arrived (the search is still going): hashed once it does. */
let held: number | undefined;

let files: HashedFile[] = [];
let bytes = 0;
let lastSent = performance.now();

function send(): void {
  if (files.length === 0 && bytes === 0) return;
  port?.postMessage({ type: 'hashed', files, bytes } satisfies FromWorker);
  files = [];
  bytes = 0;
  lastSent = performance.now();
}

function pathAt(index: number): string {
  // Indices taken by one thread only grow, so chunks wholly below this one are done with.
  while (chunks[0] && chunks[0].start + chunks[0].paths.length <= index) chunks.shift();
  const chunk = chunks[0];
  const path = chunk?.paths[index - chunk.start];
  if (path === undefined) throw new Error(`hash worker has no path for file ${index}`); // a bug
  return path;
}

function onBytes(n: number): void {
  bytes += n;
  if (performance.now() - lastSent >= BATCH_MS) send();
}

function run(): void {
  while (!stopped) {
    const index = held ?? Atomics.add(claims, 0, 1);
    held = undefined;
    if (index >= received) {
      if (!ended) held = index; // wait for the next paths
      send();
      return;
    }
    const path = pathAt(index);
    try {
      const { bytes: _size, ...digests } = hashFileSync(path, algorithms, { onBytes });
      files.push({ index, digests });
    } catch (err) {
      send();
      stopped = true;
      port?.postMessage({ type: 'failed', index, failure: toFailure(err) } satisfies FromWorker);
      return;
    }
    if (files.length >= BATCH_FILES || performance.now() - lastSent >= BATCH_MS) send();
  }
}

port.on('message', (message: ToWorker) => {
  if (message.type === 'paths') {
    chunks.push({ start: received, paths: message.paths });
    received += message.paths.length;
  } else {
    ended = true;
  }
  run();
});
