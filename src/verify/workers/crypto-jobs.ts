// One bundle's cryptographic checks as a job that runs the same way in this thread or in a worker
// (crypto-pool.ts): the same functions decide (the fast path for the common bundle, which only
// ever passes one, else the full path), and what they return is plain data that survives a
// structured clone unchanged (a VerifiedBundle, or the CheckFailure of the check that failed).
// Anything else thrown (a key that is not a key; a bug) is not a verdict: in this thread it
// propagates as it is, from a worker it comes back as a RemoteError and is thrown again here.

import { ProvenanceError, type ErrorCode } from '../../common/errors.ts';
import { verifyBundleCrypto, type CryptoOptions } from '../crypto/index.ts';
import { verifyBundleFast } from '../fast/fast-path.ts';
import type { Trust } from '../trust/index.ts';
import { VerificationError, type CheckFailure, type VerifiedBundle } from '../types.ts';

export interface CryptoJob {
  /** The bundle as parsed JSON. */
  bundle: unknown;
  options: CryptoOptions;
}

export type CryptoResult =
  { verified: VerifiedBundle; failure?: undefined } | { verified?: undefined; failure: CheckFailure };

/** An error thrown in a worker, as data. */
export interface RemoteError {
  name: string;
  message: string;
  stack: string | undefined;
  provenance?: { code: ErrorCode; hint: string };
}

export function runCryptoJob(job: CryptoJob, trust: Trust): CryptoResult {
  // The common bundle's checks straight from its JSON; anything else (or any failure) is the full path's to decide.
  const fast = verifyBundleFast(job.bundle, trust, job.options);
  if (fast) return { verified: fast };
  try {
    return { verified: verifyBundleCrypto(job.bundle, trust, job.options) };
  } catch (err) {
    if (err instanceof VerificationError) return { failure: err.failure };
    throw err;
  }
}

export function toRemoteError(err: unknown): RemoteError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), stack: undefined };
  const remote: RemoteError = { name: err.name, message: err.message, stack: err.stack };
  if (err instanceof ProvenanceError) remote.provenance = { code: err.code, hint: err.hint };
  return remote;
}

/** The error again, as its own class where that matters (a ProvenanceError keeps its code and hint). */
export function fromRemoteError(remote: RemoteError): Error {
  const err = remote.provenance
    ? new ProvenanceError(remote.provenance.code, remote.message, remote.provenance.hint)
    : new Error(remote.message);
  err.name = remote.name;
  if (remote.stack !== undefined) err.stack = remote.stack;
  return err;
}

/** A job as a worker receives it: a structured clone turns a Buffer into a plain Uint8Array. */
export function revivedJob(job: CryptoJob): CryptoJob {
  const artifact = job.options.artifact;
  if (!artifact || !('data' in artifact) || Buffer.isBuffer(artifact.data)) return job;
  const data: Uint8Array = artifact.data;
  return {
    ...job,
    options: { ...job.options, artifact: { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) } },
  };
}
