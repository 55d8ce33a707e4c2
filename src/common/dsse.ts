// DSSE's pre-authentication encoding, the bytes a DSSE signature signs: shared by verify mode's fast path
// and attest's check of stored copies (src/attest/publish/copy-check.ts), so the two can never encode it apart.

/** PAE: "DSSEv1 <len(type)> <type> <len(payload)> <payload>", lengths in bytes. */
export function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf-8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `, 'ascii'),
    type,
    Buffer.from(` ${payload.length} `, 'ascii'),
    payload,
  ]);
}
