// Ceilings on what we read from a registry, so a hostile or broken registry cannot make the action
// buffer unbounded data. Bodies are counted while they stream; a declared size over the limit is
// refused before the first byte.

import { ProvenanceError } from '../common/errors.ts';

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

/**
 * Everything one client reads from registries (manifests, referrer pages, bundle layers, `.att` layers),
 * over all images and attempts: verify mode uses one client per run, so a hostile registry named in a
 * manifest cannot make the job buffer MAX_REFERRERS × MAX_BUNDLE_BYTES. Far above what real images carry
 * (a thousand bundles of a thousand subjects each stay under it).
 */
export const MAX_REGISTRY_READ_BYTES = 512 * 1024 * 1024;

/**
 * Test hook, as in src/http/retry.ts: a number of bytes that only ever lowers MAX_REGISTRY_READ_BYTES, so a
 * test of the total through the bundled action moves megabytes, not half a gigabyte.
 */
export const READ_CAP_VARIABLE = 'PROVENANCE_TEST_REGISTRY_READ_BYTES';

/** MAX_REGISTRY_READ_BYTES, lowered by the test hook when it is set to a smaller positive number. */
export function registryReadCap(env: NodeJS.ProcessEnv = process.env): number {
  const hook = Number(env[READ_CAP_VARIABLE]?.trim() || Number.NaN);
  return Number.isSafeInteger(hook) && hook > 0 ? Math.min(hook, MAX_REGISTRY_READ_BYTES) : MAX_REGISTRY_READ_BYTES;
}

/** What is left of MAX_REGISTRY_READ_BYTES for one client; shared by all its repositories. */
export class ReadBudget {
  readonly total: number;
  #left: number;

  constructor(total = registryReadCap()) {
    this.total = total;
    this.#left = total;
  }

  get left(): number {
    return this.#left;
  }

  spend(bytes: number): void {
    this.#left -= bytes;
  }

  /** The one line for a read that would pass the total; `what` names the request it stopped at. */
  exhausted(what: string): ProvenanceError {
    return new ProvenanceError(
      'REGISTRY_CONTENT_INVALID',
      `${what} would take what was read from registries past ${this.total} bytes in total; expected the attestations of the images named to fit`,
      'A registry serves far more attestation data than real images carry: check the images (and the manifests naming them), or delete old attestations from the image',
    );
  }
}

/**
 * Reads the whole body, failing once it passes `limit` bytes, or what is left of `budget` (then with the
 * budget's line). `what` names the request for the error.
 */
export async function readLimited(
  response: Response,
  limit: number,
  what: string,
  budget?: ReadBudget,
): Promise<Uint8Array> {
  const cap = budget === undefined ? limit : Math.min(limit, Math.max(budget.left, 0));
  const tooLarge = (): ProvenanceError =>
    budget !== undefined && cap < limit
      ? budget.exhausted(what)
      : new ProvenanceError(
          'REGISTRY_CONTENT_INVALID',
          `${what} answered more than ${limit} bytes`,
          'The registry serves something other than an attestation there; check the image reference',
        );
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > cap) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (response.body === null) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    total += read.value.byteLength;
    budget?.spend(read.value.byteLength);
    if (total > cap) {
      // Cancelling closes the connection instead of draining the rest.
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(read.value);
  }
  return Buffer.concat(chunks);
}
