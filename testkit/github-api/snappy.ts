// Snappy block compression, the simplest valid way: the length preamble and literals only. GitHub
// serves attestation bundles from bundle_url snappy-compressed, so the stand-in does too; a real
// encoder would also emit back-references, which the client's decoder is tested on separately.

export function snappyLiteralOnly(data: Buffer): Buffer {
  const parts: Buffer[] = [varint(data.length)];
  for (let pos = 0; pos < data.length; pos += 65_536) {
    const chunk = data.subarray(pos, pos + 65_536);
    const n = chunk.length - 1;
    if (n < 60) parts.push(Buffer.from([n << 2]));
    else if (n < 256) parts.push(Buffer.from([60 << 2, n]));
    else parts.push(Buffer.from([61 << 2, n & 0xff, n >> 8]));
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let v = value;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}
