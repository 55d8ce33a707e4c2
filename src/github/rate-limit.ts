// GitHub's rate limits, read from the answer: a 403 or 429 with `retry-after` (secondary limits) or
// with `x-ratelimit-remaining: 0` and `x-ratelimit-reset` (the primary limit, epoch seconds). A 403
// without them is a permission refusal and final. The wait goes to fetchWithRetry's `serverWait`.

/** How long GitHub asks us to wait, in ms; undefined when the answer is not a rate limit. */
export function rateLimitWait(response: Pick<Response, 'status' | 'headers'>, now: number = Date.now()): number | undefined {
  if (response.status !== 403 && response.status !== 429) return undefined;
  const retryAfter = response.headers.get('retry-after');
  if (retryAfter !== null) {
    const seconds = Number(retryAfter);
    if (retryAfter.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(retryAfter); // retry-after may also be an HTTP date
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  if (response.headers.get('x-ratelimit-remaining') === '0') {
    const reset = Number(response.headers.get('x-ratelimit-reset'));
    // GitHub documents a wait of at least a minute when the reset time is missing.
    return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : 60_000;
  }
  return undefined;
}

/** Words for a rate limit we gave up waiting for, or undefined when the answer is not one. */
export function rateLimitNote(response: Pick<Response, 'status' | 'headers'>, now: number = Date.now()): string | undefined {
  const wait = rateLimitWait(response, now);
  if (wait === undefined) return undefined;
  return `rate limited for another ${Math.ceil(wait / 1000)} s`;
}
