// Throttles progress reports: a log line every couple of seconds shows a long hash is alive, and
// how fast it goes, without flooding the job log once per file.
export interface Progress {
  /** Files and bytes hashed so far. */
  files: number;
  bytes: number;
  /** Since hashing started. */
  seconds: number;
  /** Over the last interval (over the whole run when `done`). */
  filesPerSecond: number;
  bytesPerSecond: number;
  /** The closing report, sent only after a run long enough to have reported progress. */
  done: boolean;
}

const INTERVAL_MS = 2000;

export class ProgressMeter {
  readonly #report: ((p: Progress) => void) | undefined;
  readonly #start = Date.now();
  #files = 0;
  #bytes = 0;
  #last = this.#start;
  #lastFiles = 0;
  #lastBytes = 0;
  #reported = false;

  constructor(report: ((p: Progress) => void) | undefined) {
    this.#report = report;
  }

  add(files: number, bytes: number): void {
    this.#files += files;
    this.#bytes += bytes;
    if (!this.#report) return;
    const now = Date.now();
    if (now - this.#last < INTERVAL_MS) return;
    this.#emit(now, this.#last, this.#lastFiles, this.#lastBytes, false);
    this.#last = now;
    this.#lastFiles = this.#files;
    this.#lastBytes = this.#bytes;
  }

  /** Reports the totals and the overall rate, if the run lasted long enough to report progress. */
  finish(): void {
    if (this.#reported) this.#emit(Date.now(), this.#start, 0, 0, true);
  }

  #emit(now: number, since: number, files: number, bytes: number, done: boolean): void {
    this.#reported = true;
    const seconds = Math.max(now - since, 1) / 1000;
    this.#report?.({
      files: this.#files,
      bytes: this.#bytes,
      seconds: (now - this.#start) / 1000,
      filesPerSecond: (this.#files - files) / seconds,
      bytesPerSecond: (this.#bytes - bytes) / seconds,
      done,
    });
  }
}

/** One log line, e.g. `hashed 40,000 files (39 MiB) in 4 s: 10,212 files/s, 9.8 MiB/s`. */
export function progressLine(p: Progress): string {
  const count = (n: number): string => Math.round(n).toLocaleString('en-US');
  const mib = (n: number): string => {
    const m = n / 2 ** 20;
    return m >= 100 ? count(m) : m.toFixed(1);
  };
  const files = `${count(p.files)} file${p.files === 1 ? '' : 's'}`;
  return `hashed ${p.done ? 'all ' : ''}${files} (${mib(p.bytes)} MiB) in ${p.seconds.toFixed(p.seconds < 10 ? 1 : 0)} s: ${count(p.filesPerSecond)} files/s, ${mib(p.bytesPerSecond)} MiB/s`;
}
