// The hardware's limit for verification on this machine, measured in the same run as ours: the
// five signature checks a bundle needs and nothing else — the certificate's (ECDSA P-384 with
// SHA-384, Fulcio's intermediate), the DSSE envelope's, the SCT's, the inclusion promise's and the
// checkpoint's (ECDSA P-256 with SHA-256) — over messages of a bundle's sizes, with Node's
// OpenSSL, on every core at once (one worker thread per core, keys imported and messages signed
// before the clock starts). No verifier can check a bundle in less; ours against it is the share
// of the hardware verify mode reaches, whatever this machine's speed is on the day.

import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

// Message sizes of a bench bundle: TBS certificate, DSSE PAE, precertificate, SET payload, checkpoint note.
const LANE = `
const { generateKeyPairSync, sign, verify } = require('node:crypto');
const { parentPort, workerData } = require('node:worker_threads');
const ca = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const checks = [];
for (let i = 0; i < workerData.count; i++) {
  const message = (size, tag) => Buffer.alloc(size, \`\${tag}:\${workerData.lane}:\${i}:\`);
  checks.push(['sha384', ca, message(1520, 'tbs')]);
  for (const [size, tag] of [[1200, 'pae'], [1560, 'precert'], [1500, 'set'], [150, 'note']]) checks.push(['sha256', p256, message(size, tag)]);
}
const signed = checks.map(([hash, pair, data]) => [hash, pair.publicKey, data, sign(hash, data, pair.privateKey)]);
parentPort.on('message', () => {
  let ok = 0;
  for (const [hash, key, data, signature] of signed) if (verify(hash, data, key, signature)) ok++;
  parentPort.postMessage(ok);
});
parentPort.postMessage('ready');
`;

/** Bundles per second that the signature checks alone allow, for `count` bundles on every core (best of `runs`). */
export async function signatureFloor(count: number, runs: number): Promise<number> {
  const lanes = availableParallelism();
  const workers = Array.from({ length: lanes }, (_, lane) => new Worker(LANE, { eval: true, workerData: { lane, count: Math.ceil(count / lanes) } }));
  const next = (worker: Worker): Promise<unknown> =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  try {
    await Promise.all(workers.map(next));
    let best = Infinity;
    for (let run = 0; run < runs; run++) {
      const start = performance.now();
      const done = workers.map(next);
      for (const worker of workers) worker.postMessage('go');
      const verified = (await Promise.all(done)) as number[];
      best = Math.min(best, performance.now() - start);
      if (verified.some((ok) => ok !== Math.ceil(count / lanes) * 5)) throw new Error('a floor signature did not verify');
    }
    return (Math.ceil(count / lanes) * lanes) / (best / 1000);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
