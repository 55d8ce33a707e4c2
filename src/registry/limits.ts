// Ceilings on what we read from a registry, so a hostile or broken registry cannot make the action
// buffer unbounded data. Bodies are counted while they stream; a declared size over the limit is
// refused before the first byte.

import { ProvenanceError } from '../errors.ts';

/** Manifests and indexes: the OCI distribution spec lets registries refuse anything over 4 MiB. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** One Sigstore bundle or DSSE envelope: a few KiB usually, under 1 MiB even with 1024 subjects. */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;
/** Error bodies: only their first registry error code and message are shown. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;
/** Pages of one referrers listing we follow through `Link: <…>; rel="next"`. */
export const MAX_REFERRER_PAGES = 100;
/** Sigstore referrers of one image we read (each costs two requests); far above any real image's. */
export const MAX_REFERRERS = 1000;

/** Layers of one referrer or cosign `.att` manifest we read (each is a download): one per attestation. */
export const MAX_LAYERS = 1000;

/** Reads the whole body, failing once it passes `limit` bytes. `what` names the request for the error. */
export async function readLimited(response: Response, limit: number, what: string): Promise<Uint8Array> {
  const tooLarge = (): ProvenanceError =>
    new ProvenanceError('REGISTRY_CONTENT_INVALID', `${what} answered more than ${limit} bytes`, 'The registry serves something other than an attestation there; check the image reference');
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (response.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    total += read.value.byteLength;
    if (total > limit) {
      // Cancelling closes the connection instead of draining the rest.
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks);
}
