// Fulcio writes its newer certificate extensions (issuer, repository, workflow…: OIDs
// 1.3.6.1.4.1.57264.1.8 and up) as DER UTF8Strings. Verify mode reads them as identity facts and
// attest mode reads the issuer of a stored copy of its own bundle, so both decode them here, the
// same strict way: the string must span all of the extension's value and be valid UTF-8.

const UTF8_STRING = 0x0c;

// One decoder for all: a decode without `stream` starts afresh, whatever the last one did.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The text of a DER UTF8String that spans all of `der`, or undefined. */
export function decodeUTF8String(der: Buffer): string | undefined {
  if (der[0] !== UTF8_STRING || der.length < 2) return undefined;
  const first = der[1] ?? 0;
  let length = first;
  let offset = 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 3 || der.length < 2 + count) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[2 + i] ?? 0);
    offset = 2 + count;
  }
  if (offset + length !== der.length) return undefined;
  const text = der.subarray(offset);
  try {
    return UTF8.decode(text);
  } catch {
    return undefined;
  }
}
