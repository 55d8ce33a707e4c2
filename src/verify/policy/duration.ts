// The max-age rule's durations: `30d`, `12h`, `90m`, `3600s`, or bare seconds. Whole numbers
// only, so a policy reads the same to everyone; formatted back in the largest exact unit.

const UNIT_SECONDS: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1, '': 1 };

/** Seconds, or undefined when `text` is not a positive whole duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+)([dhms]?)$/.exec(text);
  if (!match) return undefined;
  const seconds = Number(match[1]) * (UNIT_SECONDS[match[2] ?? ''] ?? 1);
  return Number.isSafeInteger(seconds) && seconds > 0 ? seconds : undefined;
}

/** `2592000` → `30d`; `5400` → `90m`; `61` → `61s`. */
export function formatDuration(seconds: number): string {
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
  ] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** An age for people: `31d 2h 5m 1s`, dropping zero parts. */
export function formatAge(totalSeconds: number): string {
  const parts: string[] = [];
  let rest = Math.floor(totalSeconds);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0) parts.push(`${n}${unit}`);
  }
  return parts.length > 0 ? parts.join(' ') : '0s';
}
