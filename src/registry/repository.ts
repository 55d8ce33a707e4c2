// The distribution API calls we make on one repository: manifests by tag or digest, blobs (existence
// check, monolithic upload, bounded download), and the referrers API. Content is checked against its
// digest on the way in, so a registry cannot hand us bytes other than the ones named (a mismatch, or
// garbage where JSON belongs, is retried like a 5xx before it is reported).

import { ProvenanceError } from '../common/errors.ts';
import { parseJSON } from '../common/json.ts';
import { MAX_MANIFEST_BYTES, MAX_REFERRER_PAGES, ReadBudget, readLimited } from './limits.ts';
import { MANIFEST_ACCEPT, OCI_INDEX } from './media-types.ts';
import { SHA256_DIGEST, parseIndexEntries, sha256Digest, type Descriptor } from './oci.ts';
import { UnusableAnswer, type RegistryRequest, type RegistryTransport } from './transport.ts';

/** Upload sessions tried for one blob before giving up: each may be lost to a timeout that the registry outlived. */
const UPLOAD_SESSIONS = 3;

export interface FetchedManifest {
  descriptor: Descriptor;
  bytes: Uint8Array;
  json: unknown;
}

export class RepositoryClient {
  readonly transport: RegistryTransport;
  readonly repository: string;
  /** Shared by every repository of one client: the cap on all it reads (MAX_REGISTRY_READ_BYTES). */
  readonly budget: ReadBudget;

  constructor(transport: RegistryTransport, budget: ReadBudget = new ReadBudget()) {
    this.transport = transport;
    this.repository = transport.scope.repository;
    this.budget = budget;
  }

  /** `registry/repository`, as it appears in sources and errors. */
  get name(): string {
    return `${this.transport.registry}/${this.repository}`;
  }

  /** The manifest's descriptor, from headers where the registry sends them all, else by reading it. */
  async headManifest(reference: string): Promise<Descriptor | undefined> {
    const req = {
      method: 'HEAD',
      target: this.#path('manifests', reference),
      headers: { accept: MANIFEST_ACCEPT },
      expect: [200, 404],
    } as const;
    const response = await this.transport.send(req);
    if (response.status === 404) return undefined;
    const digest = response.headers.get('docker-content-digest') ?? '';
    const mediaType = contentType(response);
    const size = Number(response.headers.get('content-length') ?? Number.NaN);
    if (SHA256_DIGEST.test(digest) && mediaType !== '' && Number.isSafeInteger(size) && size > 0) {
      if (SHA256_DIGEST.test(reference) && digest !== reference)
        throw this.#mismatch(this.transport.describe(req), reference, digest);
      return { mediaType, digest, size };
    }
    return (await this.getManifest(reference))?.descriptor;
  }

  async getManifest(reference: string): Promise<FetchedManifest | undefined> {
    const req = {
      method: 'GET',
      target: this.#path('manifests', reference),
      headers: { accept: MANIFEST_ACCEPT },
      expect: [200, 404],
    } as const;
    const what = `registry ${this.transport.registry}: ${this.transport.describe(req)}`;
    // Content that is not what was asked for (garbage from a proxy, another digest) is retried, then reported.
    return this.transport.sendAndRead(req, async (response) => {
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      const bytes = await readLimited(response, MAX_MANIFEST_BYTES, what, this.budget);
      const digest = sha256Digest(bytes);
      if (SHA256_DIGEST.test(reference) && digest !== reference)
        throw new UnusableAnswer(this.#mismatch(this.transport.describe(req), reference, digest));
      const parsed = parseJSON(bytes);
      if (!parsed.ok) {
        throw new UnusableAnswer(
          new ProvenanceError(
            'REGISTRY_CONTENT_INVALID',
            `${what} answered a manifest that is not JSON (${parsed.reason})`,
            'Check the image reference; the registry may be serving something else there',
          ),
        );
      }
      const declared = (parsed.value as { mediaType?: unknown } | null)?.mediaType;
      const mediaType = contentType(response) || (typeof declared === 'string' ? declared : '');
      return { descriptor: { mediaType, digest, size: bytes.byteLength }, bytes, json: parsed.value };
    });
  }

  /**
   * PUT by tag or digest; `subjectProcessed` when the registry answered with `OCI-Subject`, which is only a
   * hint (some registries send it without serving referrers; attach.ts checks the API too).
   */
  async putManifest(
    reference: string,
    mediaType: string,
    bytes: Uint8Array,
  ): Promise<{ digest: string; subjectProcessed: boolean }> {
    const response = await this.transport.send({
      method: 'PUT',
      target: this.#path('manifests', reference),
      headers: { 'content-type': mediaType },
      body: bytes,
      expect: [200, 201],
    });
    await response.body?.cancel();
    return { digest: sha256Digest(bytes), subjectProcessed: response.headers.has('oci-subject') };
  }

  async blobExists(digest: string): Promise<boolean> {
    const response = await this.transport.send({
      method: 'HEAD',
      target: this.#path('blobs', digest),
      expect: [200, 404],
    });
    return response.status === 200;
  }

  /**
   * Monolithic upload (POST for a session, PUT with the bytes); skipped when the blob is there already.
   * A PUT that timed out may have landed and closed its session, so the transport's retry of it meets
   * 404 BLOB_UPLOAD_UNKNOWN: then the blob is looked up, and a new session started if it is not there.
   */
  async pushBlob(bytes: Uint8Array): Promise<string> {
    const digest = sha256Digest(bytes);
    if (await this.blobExists(digest)) return digest;
    for (let session = 1; ; session++) {
      const status = await this.#uploadOnce(bytes, digest);
      if (status === 201 || (await this.blobExists(digest))) return digest;
      if (session >= UPLOAD_SESSIONS) {
        throw new ProvenanceError(
          'REGISTRY_FAILED',
          `registry ${this.transport.registry} failed: the upload of ${digest} to ${this.repository} was lost ${session} times (HTTP 404, upload unknown)`,
          `${this.transport.registry} kept dropping uploads; re-run the job later`,
        );
      }
    }
  }

  async #uploadOnce(bytes: Uint8Array, digest: string): Promise<number> {
    const session = await this.transport.send({
      method: 'POST',
      target: `/v2/${this.repository}/blobs/uploads/`,
      expect: [202],
    });
    await session.body?.cancel();
    const location = session.headers.get('location');
    if (location === null) {
      throw new ProvenanceError(
        'REGISTRY_FAILED',
        `registry ${this.transport.registry} failed: POST /v2/${this.repository}/blobs/uploads/ answered HTTP 202 without a Location`,
        'The registry does not follow the OCI distribution spec; report it to its operator',
      );
    }
    // The registry chose this URL: one that does not parse is its fault, not a crash of ours.
    const upload = URL.parse(location, this.transport.base.href);
    if (upload === null) {
      throw new ProvenanceError(
        'REGISTRY_FAILED',
        `registry ${this.transport.registry} failed: POST /v2/${this.repository}/blobs/uploads/ answered HTTP 202 with a Location that is not a URL`,
        'The registry does not follow the OCI distribution spec; report it to its operator',
      );
    }
    upload.searchParams.set('digest', digest);
    // Debian's registry wants this exact content type on uploads.
    const done = await this.transport.send({
      method: 'PUT',
      target: upload.toString(),
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
      expect: [201, 404],
    });
    await done.body?.cancel();
    return done.status;
  }

  /** The blob's bytes, checked against the descriptor; undefined when the registry does not have it. */
  async getBlob(descriptor: Descriptor, limit: number): Promise<Uint8Array | undefined> {
    const req = { method: 'GET', target: this.#path('blobs', descriptor.digest), expect: [200, 404] } as const;
    const what = `registry ${this.transport.registry}: ${this.transport.describe(req)}`;
    if (descriptor.size > limit) {
      throw new ProvenanceError(
        'REGISTRY_CONTENT_INVALID',
        `${what} is declared as ${descriptor.size} bytes, more than ${limit}`,
        'Only attestations are read from registries; check what was attached to the image',
      );
    }
    if (descriptor.size > this.budget.left) throw this.budget.exhausted(what);
    return this.transport.sendAndRead(req, async (response) => {
      if (response.status === 404) {
        await response.body?.cancel();
        return undefined;
      }
      const bytes = await readLimited(response, limit, what, this.budget);
      const digest = sha256Digest(bytes);
      if (digest !== descriptor.digest)
        throw new UnusableAnswer(this.#mismatch(this.transport.describe(req), descriptor.digest, digest));
      return bytes;
    });
  }

  /** Referrer descriptors of `digest` via the referrers API, or undefined when the registry lacks it (404). */
  async referrers(digest: string, artifactType?: string): Promise<Descriptor[] | undefined> {
    const first = new URL(this.#path('referrers', digest), this.transport.base);
    if (artifactType !== undefined) first.searchParams.set('artifactType', artifactType);
    const found: Descriptor[] = [];
    let next: string | undefined = first.toString();
    for (let page = 0; next !== undefined && page < MAX_REFERRER_PAGES; page++) {
      const req: RegistryRequest = { method: 'GET', target: next, headers: { accept: OCI_INDEX }, expect: [200, 404] };
      const what = `registry ${this.transport.registry}: ${this.transport.describe(req)}`;
      const answer: { entries: Descriptor[]; next: string | undefined } | undefined = await this.transport.sendAndRead(
        req,
        async (response) => {
          if (response.status === 404) {
            await response.body?.cancel();
            return undefined;
          }
          const parsed = parseJSON(await readLimited(response, MAX_MANIFEST_BYTES, what, this.budget));
          const entries = parsed.ok ? parseIndexEntries(parsed.value) : undefined;
          if (entries === undefined) {
            throw new UnusableAnswer(
              new ProvenanceError(
                'REGISTRY_CONTENT_INVALID',
                `${what} answered something other than an OCI image index`,
                "The registry's referrers API is broken; report it to its operator",
              ),
            );
          }
          const next = nextPage(response.headers.get('link'), this.transport.base);
          if (next === null)
            throw new ProvenanceError(
              'REGISTRY_CONTENT_INVALID',
              `${what} answered a Link header whose next page is not a URL`,
              "The registry's referrers API is broken; report it to its operator",
            );
          return { entries, next };
        },
      );
      if (answer === undefined) {
        if (page === 0) return undefined;
        break;
      }
      found.push(...answer.entries);
      next = answer.next;
    }
    return found;
  }

  #path(kind: 'manifests' | 'blobs' | 'referrers', reference: string): string {
    return `/v2/${this.repository}/${kind}/${reference}`;
  }

  #mismatch(request: string, expected: string, found: string): ProvenanceError {
    return new ProvenanceError(
      'REGISTRY_CONTENT_INVALID',
      `registry ${this.transport.registry}: ${request} served content with digest ${found}, not ${expected}`,
      'The registry returned corrupted or substituted content; report it to its operator',
    );
  }
}

function contentType(response: Response): string {
  return (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
}

// `Link: </v2/…?last=x>; rel="next"` (the referrers API's pagination): the next page's URL, undefined on
// the last page, null when the registry named a next page that is not a URL.
export function nextPage(link: string | null, base: URL): string | undefined | null {
  // [^<>]: a URL never holds either, and a scan that stops at the next "<" keeps a hostile header linear.
  const match = link === null ? null : /<([^<>]+)>\s*;\s*rel="?next"?/.exec(link);
  if (match?.[1] === undefined) return undefined;
  return URL.parse(match[1], base.href)?.toString() ?? null;
}
