// Throttles progress reports: a log line every couple of seconds shows a long hash is alive
// without flooding the job log once per file.
export interface Progress {
  files: number;
  bytes: number;
}

const INTERVAL_MS = 2000;

export class ProgressMeter {
  readonly #report: ((p: Progress) => void) | undefined;
  #files = 0;
  #bytes = 0;
  #last = Date.now();

  constructor(report: ((p: Progress) => void) | undefined) {
    this.#report = report;
  }

  add(files: number, bytes: number): void {
    this.#files += files;
    this.#bytes += bytes;
    if (!this.#report) return;
    const now = Date.now();
    if (now - this.#last < INTERVAL_MS) return;
    this.#last = now;
    this.#report({ files: this.#files, bytes: this.#bytes });
  }
}
