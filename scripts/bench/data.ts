// Creates the benchmark's input files: one large file and many small ones of pseudo-random
// bytes, written a chunk at a time so making them does not inflate the peak RSS we report.
import { randomFillSync } from 'node:crypto';
import { statSync, writeFileSync } from 'node:fs';
import { mkdir, open, stat } from 'node:fs/promises';
import path from 'node:path';

const CHUNK = 4 * 1024 * 1024;

/** Writes `bytes` random bytes to `file`, unless a file of that size is already there (BENCH_KEEP). */
export async function randomFile(file: string, bytes: number): Promise<void> {
  if ((await stat(file).catch(() => undefined))?.size === bytes) return;
  await mkdir(path.dirname(file), { recursive: true });
  const handle = await open(file, 'w');
  try {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, bytes));
    for (let left = bytes; left > 0; left -= buf.length) {
      const n = Math.min(buf.length, left);
      randomFillSync(buf, 0, n);
      await handle.write(buf, 0, n);
    }
  } finally {
    await handle.close();
  }
}

/** `count` random files of `bytes` each under `dir`, named f0000…; returns their paths. */
export async function randomFiles(dir: string, count: number, bytes: number): Promise<string[]> {
  const files = Array.from({ length: count }, (_, i) => path.join(dir, `f${String(i).padStart(4, '0')}.bin`));
  for (const f of files) await randomFile(f, bytes);
  return files;
}

/**
 * `dirs` directories d00… of `perDir` random files f000…bin of `bytes` each under `root`, unless
 * already there (BENCH_KEEP). Written synchronously: 100,000 small files, a write per file.
 */
export async function randomTree(root: string, dirs: number, perDir: number, bytes: number): Promise<void> {
  const buf = Buffer.allocUnsafe(bytes);
  for (let d = 0; d < dirs; d++) {
    const dir = path.join(root, `d${String(d).padStart(2, '0')}`);
    await mkdir(dir, { recursive: true });
    for (let f = 0; f < perDir; f++) {
      const file = path.join(dir, `f${String(f).padStart(3, '0')}.bin`);
      if (statSync(file, { throwIfNoEntry: false })?.size === bytes) continue;
      randomFillSync(buf);
      writeFileSync(file, buf);
    }
  }
}
