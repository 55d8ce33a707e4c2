import { workerUrl } from '../common/worker-url.ts';

/** The hash worker's code, beside this module (src/subjects/hash-worker.ts, or dist/hash-worker.js). */
export const hashWorkerUrl = (): URL => workerUrl('hash-worker', import.meta.url);
