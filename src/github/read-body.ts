// Reading an answer's body with a ceiling: the declared content-length is checked first, then the
// bytes actually streamed, so neither a lying header nor an endless stream gets past the limit.

export type BodyResult =
  { ok: true; bytes: Buffer } | { ok: false; reason: 'too-large' } | { ok: false; reason: 'broken'; cause: unknown };

export async function readBody(response: Response, maxBytes: number): Promise<BodyResult> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, reason: 'too-large' };
  }
  if (!response.body) return { ok: true, bytes: Buffer.alloc(0) };
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, reason: 'too-large' };
      }
      chunks.push(value);
    }
  } catch (cause) {
    // The connection broke or the per-attempt timeout fired while the body was still arriving.
    return { ok: false, reason: 'broken', cause };
  }
  return { ok: true, bytes: Buffer.concat(chunks, total) };
}
