// Snappy block decompression (https://github.com/google/snappy/blob/main/format_description.txt).
// GitHub serves an attestation's `bundle_url` as snappy-compressed JSON (the GitHub CLI decodes it the
// same way); no package of ours does snappy and the format is small, so it lives here, bounded:
// the declared length is checked against a limit before anything is allocated.

export class SnappyError extends Error {}

export function snappyDecompress(input: Uint8Array, maxBytes: number): Buffer {
  let pos = 0;
  const byte = (): number => {
    const b = input[pos++];
    if (b === undefined) throw new SnappyError('truncated');
    return b;
  };
  // The preamble: the decompressed length as a little-endian base-128 varint (at most 32 bits).
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (shift > 28) throw new SnappyError('length varint too long');
    const b = byte();
    length += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  if (length > maxBytes) throw new SnappyError(`declares ${length} bytes, more than ${maxBytes}`);
  const out = Buffer.alloc(length);
  let written = 0;
  const littleEndian = (n: number): number => {
    let v = 0;
    for (let i = 0; i < n; i++) v += byte() * 2 ** (8 * i);
    return v;
  };
  while (pos < input.length) {
    const tag = byte();
    const kind = tag & 3;
    if (kind === 0) {
      // A literal: length-1 in the upper six bits, or in the 1–4 bytes that follow (values 60–63).
      const small = tag >> 2;
      const len = (small < 60 ? small : littleEndian(small - 59)) + 1;
      if (pos + len > input.length || written + len > length) throw new SnappyError('literal overruns');
      out.set(input.subarray(pos, pos + len), written);
      pos += len;
      written += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      len = ((tag >> 2) & 7) + 4;
      offset = ((tag >> 5) << 8) | byte();
    } else {
      len = (tag >> 2) + 1;
      offset = littleEndian(kind === 2 ? 2 : 4);
    }
    if (offset === 0 || offset > written || written + len > length) throw new SnappyError('copy out of range');
    // Byte by byte: a copy may overlap what it is producing (offset < len repeats a pattern).
    for (let i = 0; i < len; i++, written++) out[written] = out[written - offset] ?? 0;
  }
  if (written !== length) throw new SnappyError(`ends after ${written} of ${length} bytes`);
  return out;
}
