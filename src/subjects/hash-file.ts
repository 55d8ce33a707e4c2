// Streams one file through SHA-256 without holding it in memory. Shared by the main thread and
// the hash workers, so both produce identical digests.
import { createHash, hash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

// 1 MiB reads amortise the per-read syscall and thread-pool hop; two buffers let the next
// read run in libuv's pool while this thread hashes the previous one.
const CHUNK = 1024 * 1024;

// O_NONBLOCK: if a FIFO was swapped in after our stat, open() must not block forever.
// O_NOFOLLOW: we open the resolved real path, so a symlink appearing there is a race.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

export class NotRegularFileError extends Error {}

/** Attest mode needs SHA-256; verify mode adds SHA-512 when a statement names artifacts by it (npm). */
export type HashAlgorithm = 'sha256' | 'sha512';
export type Digests = Partial<Record<HashAlgorithm, string>>;
export const DEFAULT_ALGORITHMS: readonly HashAlgorithm[] = ['sha256'];

export interface FileDigest extends Digests {
  bytes: number;
}

/** Digests of the regular file at `path` in one pass; `onBytes` sees each chunk's length as it is hashed. */
export async function hashFile(
  path: string,
  onBytes?: (n: number) => void,
  algorithms: readonly HashAlgorithm[] = DEFAULT_ALGORITHMS,
): Promise<FileDigest> {
  const handle = await open(path, OPEN_FLAGS);
  try {
    // Re-check on the open handle: the earlier stat was of the path, which may have changed.
    if (!(await handle.stat()).isFile()) throw new NotRegularFileError(`${path} is not a regular file`);
    return await hashHandle(handle, algorithms, onBytes);
  } finally {
    await handle.close();
  }
}

// Buffers are reused across files: allocating 2 MiB per file costs more than hashing a small
// one (fresh pages fault in on first touch, and the garbage collector has to reclaim them).
// A free list rather than one pair, because a thread may hash a few files concurrently.
const spares: Buffer[] = [];

async function hashHandle(
  handle: FileHandle,
  algorithms: readonly HashAlgorithm[],
  onBytes?: (n: number) => void,
): Promise<FileDigest> {
  const buffers: [Buffer, Buffer] = [
    spares.pop() ?? Buffer.allocUnsafe(CHUNK),
    spares.pop() ?? Buffer.allocUnsafe(CHUNK),
  ];
  try {
    return await pump(handle, buffers, algorithms, onBytes);
  } finally {
    spares.push(...buffers);
  }
}

/** Hashes while the next read is in flight; never returns with a read still writing a buffer. */
async function pump(
  handle: FileHandle,
  [first, second]: [Buffer, Buffer],
  algorithms: readonly HashAlgorithm[],
  onBytes?: (n: number) => void,
): Promise<FileDigest> {
  const hash = multiHash(algorithms);
  let bytes = 0;
  let [current, spare] = [first, second];
  // Reads are sequential (position null), so each one continues where the last stopped.
  let pending = handle.read(current, 0, CHUNK, null);
  for (;;) {
    const { bytesRead } = await pending;
    if (bytesRead === 0) break;
    const filled = current;
    [current, spare] = [spare, current];
    pending = handle.read(current, 0, CHUNK, null);
    try {
      hash.update(filled.subarray(0, bytesRead));
      onBytes?.(bytesRead);
    } catch (err) {
      await pending.catch(() => undefined);
      throw err;
    }
    bytes += bytesRead;
  }
  return { ...hash.digests(), bytes };
}

/** One update feeds every requested algorithm, so a second digest costs no second read. */
function multiHash(algorithms: readonly HashAlgorithm[]): { update(data: Buffer): void; digests(): Digests } {
  const hashes = algorithms.map((alg) => [alg, createHash(alg)] as const);
  return {
    update: (data) => {
      for (const [, h] of hashes) h.update(data);
    },
    digests: () => Object.fromEntries(hashes.map(([alg, h]) => [alg, h.digest('hex')])),
  };
}

function oneShot(algorithms: readonly HashAlgorithm[], data: Buffer): Digests {
  const digests: Digests = {};
  for (const alg of algorithms) digests[alg] = hash(alg, data, 'hex');
  return digests;
}

let syncBuffer: Buffer | undefined;

/**
 * The same digests with blocking reads, for worker threads (where blocking is free) and for the
 * main thread's share of small files: it skips the thread-pool hop each async open/stat/read/close
 * costs, which dominates small files. A file that fits in one buffer is read whole and hashed
 * with one call (crypto.hash), which costs less than a Hash object; larger ones are streamed.
 * Returns undefined, having read nothing, when the file is larger than `maxBytes`.
 */
export function hashFileSync(
  path: string,
  algorithms?: readonly HashAlgorithm[],
  options?: { onBytes?: (n: number) => void },
): FileDigest;
export function hashFileSync(
  path: string,
  algorithms: readonly HashAlgorithm[],
  options: { maxBytes: number; onBytes?: (n: number) => void },
): FileDigest | undefined;
export function hashFileSync(
  path: string,
  algorithms: readonly HashAlgorithm[] = DEFAULT_ALGORITHMS,
  options: { maxBytes?: number; onBytes?: (n: number) => void } = {},
): FileDigest | undefined {
  const fd = openSync(path, OPEN_FLAGS);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new NotRegularFileError(`${path} is not a regular file`);
    if (options.maxBytes !== undefined && st.size > options.maxBytes) return undefined;
    const buf = (syncBuffer ??= Buffer.allocUnsafe(CHUNK));
    // Fill the buffer to the end of the file. A read reaching the size fstat gave is taken as the
    // end (one read instead of two for a small file); a file that grew meanwhile is read on.
    let filled = 0;
    for (;;) {
      const n = readSync(fd, buf, filled, CHUNK - filled, null);
      filled += n;
      if (n === 0 || filled === CHUNK || filled === st.size) break;
    }
    if (filled < CHUNK) {
      options.onBytes?.(filled);
      return { ...oneShot(algorithms, buf.subarray(0, filled)), bytes: filled };
    }
    const digest = multiHash(algorithms);
    let bytes = 0;
    for (let n = filled; n > 0; n = readSync(fd, buf, 0, CHUNK, null)) {
      digest.update(buf.subarray(0, n));
      options.onBytes?.(n);
      bytes += n;
    }
    return { ...digest.digests(), bytes };
  } finally {
    closeSync(fd);
  }
}
