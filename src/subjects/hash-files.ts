// Hashes a list of files known up front (collectSubjects instead feeds the queue while it
// searches): the same HashQueue, so the same choice of main thread or worker pool.
import { HashQueue } from './hash-queue.ts';
import type { HashOptions } from './hash-queue.ts';

export interface FileToHash {
  /** Path opened (the real path). */
  path: string;
  /** Workspace-relative path shown in messages. */
  label: string;
  size: number;
}

/** SHA-256 hex of each file, in order. */
export async function hashFiles(files: readonly FileToHash[], options: HashOptions = {}): Promise<string[]> {
  const queue = new HashQueue(options);
  try {
    for (const f of files) queue.submit(f.path, f.size, f.label);
    const digestOf = await queue.digests();
    return files.map((f) => digestOf(f.path)?.sha256 ?? '');
  } finally {
    queue.close();
  }
}
