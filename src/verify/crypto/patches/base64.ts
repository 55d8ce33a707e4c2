// Strict base64 for bytes fields of bundles and trusted roots. Buffer.from(text, 'base64') skips
// characters it does not know, so "INVALID!!!BASE64" decodes to some bytes instead of failing;
// verification must refuse such input rather than check whatever bytes fall out.

const BASE64 = /^([A-Za-z0-9+/_-]*)(={0,2})$/;

/**
 * Decodes standard or URL-safe base64, padded or not (both are valid protobuf-JSON), or returns
 * undefined when the text is anything else.
 */
export function decodeBase64Strict(text: string): Buffer | undefined {
  const body = strictBody(text);
  return body === undefined ? undefined : Buffer.from(body.replaceAll('-', '+').replaceAll('_', '/'), 'base64');
}

/** Whether decodeBase64Strict accepts `text`, without decoding it (a bundle's fields are decoded by its parser). */
export function isBase64Strict(text: string): boolean {
  return strictBody(text) !== undefined;
}

// The base64 characters of `text` without padding, when it is strict base64.
function strictBody(text: string): string | undefined {
  // Line breaks are the one thing Go's and Python's decoders skip too (`base64` wraps at 76).
  const match = BASE64.exec(text.includes('\n') ? text.replace(/\r?\n/g, '') : text);
  if (!match) return undefined;
  const body = match[1] ?? '';
  const padding = match[2] ?? '';
  // With padding the total is a whole number of quads; without it, one stray character is never valid.
  if (padding.length > 0 ? (body.length + padding.length) % 4 !== 0 : body.length % 4 === 1) return undefined;
  return body;
}
