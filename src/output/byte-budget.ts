// GitHub refuses a job summary over 1 MiB outright (the step's whole summary is lost), so every
// summary is built against a byte budget: pieces are taken in reading order while they fit, and
// the renderer says what it left out. Bytes, not characters: names may be any UTF-8.

/** What a summary may use: under GitHub's 1 MiB, with room for what other steps of the job write. */
export const SUMMARY_MAX_BYTES = 900 * 1024;

export const byteLength = (text: string): number => Buffer.byteLength(text, 'utf8');

export class ByteBudget {
  #left: number;
  constructor(max: number) {
    this.#left = max;
  }

  get left(): number {
    return this.#left;
  }

  /** Takes `text` if it fits, keeping `reserve` bytes for what must still follow (closing tags, the closing line). */
  take(text: string, reserve = 0): boolean {
    const size = byteLength(text);
    if (size + reserve > this.#left) return false;
    this.#left -= size;
    return true;
  }

  /** Takes `text` whether or not it fits: for the few lines every summary needs (title, closing line). */
  force(text: string): void {
    this.#left -= byteLength(text);
  }
}
