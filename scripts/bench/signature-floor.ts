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

export interface SignatureFloor {
  /** Bundles each measurement covers (`count` rounded up to a multiple of the cores). */
  bundles: number;
  /** Wall time in ms for the checks of `bundles` bundles, on every core at once. */
  measure: () => Promise<number>;
  stop: () => Promise<void>;
}

/**
 * Worker threads holding the signed messages for `count` bundles, ready to be measured: between
 * measurements they are idle, so verify mode can be measured in between and each ratio compares
 * two figures taken seconds apart on this machine, whose speed drifts by minutes.
 */
export async function startSignatureFloor(count: number): Promise<SignatureFloor> {
  const lanes = availableParallelism();
  const perLane = Math.ceil(count / lanes);
  const workers = Array.from(
    { length: lanes },
    (_, lane) => new Worker(LANE, { eval: true, workerData: { lane, count: perLane } }),
  );
  const next = (worker: Worker): Promise<unknown> =>
    new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  const stop = async (): Promise<void> => {
    await Promise.all(workers.map((w) => w.terminate()));
  };
  try {
    await Promise.all(workers.map(next));
  } catch (err) {
    await stop();
    throw err;
  }
  const measure = async (): Promise<number> => {
    const start = performance.now();
    const done = workers.map(next);
    for (const worker of workers) worker.postMessage('go');
    const verified = (await Promise.all(done)) as number[];
    const ms = performance.now() - start;
    if (verified.some((ok) => ok !== perLane * 5)) throw new Error('a floor signature did not verify');
    return ms;
  };
  return { bundles: perLane * lanes, measure, stop };
}
