// A small in-memory OCI registry (node:http on 127.0.0.1) with what Debian's registry lacks: the
// referrers API (`GET /v2/<name>/referrers/<digest>`, `artifactType` filter, `Link` pagination) and the
// `OCI-Subject` answer to a push with a subject. Faults are injected per request as in testkit/http.ts,
// and it can demand a login, Basic or through a Bearer token service it serves itself at /token, so the
// client's challenge flow meets the real protocol.

import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serve, sendJSON, type Fault, type LoopbackServer } from '../http.ts';

export type RegistryAuth =
  | { scheme: 'basic'; username: string; password: string }
  | { scheme: 'bearer'; username: string; password: string; identityToken?: string };

export interface ReferrersRegistryOptions {
  /** Default true; false answers the referrers API with 404 and pushes without OCI-Subject. */
  referrersApi?: boolean;
  /**
   * Whether a manifest PUT with a subject is answered with OCI-Subject; defaults to `referrersApi`. True
   * with `referrersApi: false` is an ECR-like registry: the header without the API behind it.
   */
  ociSubject?: boolean;
  auth?: RegistryAuth;
  /** Referrers per page (default: all on one page). */
  pageSize?: number;
  /** Overrides the token service URL announced in Bearer challenges (to test refusals). */
  realm?: string;
  /** Blob downloads answer 307 to this URL (`<digest>` appended), as registries backed by object storage do. */
  redirectBlobsTo?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
}

export interface ReferrersRegistry {
  readonly host: string;
  readonly url: string;
  /** Popped one per request (token requests included); the test owns the array. */
  faults: Fault[];
  readonly requests: RecordedRequest[];
  /** Tokens handed out by /token, for asserting they never show up in errors. */
  readonly issuedTokens: string[];
  /** Headers that pass any auth check, for seeding content with raw requests (testkit/registry/images.ts). */
  readonly adminHeaders: Record<string, string>;
  stop(): Promise<void>;
}

interface Repo {
  blobs: Map<string, Buffer>;
  manifests: Map<string, { mediaType: string; bytes: Buffer }>;
  tags: Map<string, string>;
}

const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const ROUTE = /^\/v2\/(.+?)\/(blobs\/uploads\/[^/]*|blobs\/[^/]+|manifests\/[^/]+|referrers\/[^/]+|tags\/list)$/;

function registryError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJSON(res, status, { errors: [{ code, message }] }, headers);
}

export async function startReferrersRegistry(options: ReferrersRegistryOptions = {}): Promise<ReferrersRegistry> {
  const referrersApi = options.referrersApi ?? true;
  const ociSubject = options.ociSubject ?? referrersApi;
  const repos = new Map<string, Repo>();
  const uploads = new Map<string, string>();
  const tokens = new Map<string, Set<string>>(); // token → scopes granted
  const adminAuthorization = `Bearer admin-${randomUUID()}`;
  const state = { faults: [] as Fault[], requests: [] as RecordedRequest[], issuedTokens: [] as string[], url: '' };
  const repo = (name: string): Repo => {
    let r = repos.get(name);
    if (r === undefined) repos.set(name, (r = { blobs: new Map(), manifests: new Map(), tags: new Map() }));
    return r;
  };

  const basicOK = (header: string | undefined, auth: RegistryAuth): boolean =>
    header === `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;

  // Whether the request may proceed; answers the 401 challenge itself when not.
  function authorized(req: IncomingMessage, res: ServerResponse, name: string | undefined, push: boolean): boolean {
    const auth = options.auth;
    if (auth === undefined) return true;
    const header = req.headers.authorization;
    if (header === adminAuthorization) return true;
    if (auth.scheme === 'basic') {
      if (basicOK(header, auth)) return true;
      registryError(res, 401, 'UNAUTHORIZED', 'authentication required', {
        'www-authenticate': 'Basic realm="referrers-registry"',
      });
      return false;
    }
    const needed = name === undefined ? undefined : `repository:${name}:${push ? 'push' : 'pull'}`;
    const granted = header?.startsWith('Bearer ') ? tokens.get(header.slice(7)) : undefined;
    if (granted !== undefined && (needed === undefined || granted.has(needed))) return true;
    const scope = name === undefined ? '' : `,scope="repository:${name}:${push ? 'pull,push' : 'pull'}"`;
    registryError(res, 401, 'UNAUTHORIZED', 'authentication required', {
      'www-authenticate': `Bearer realm="${options.realm ?? `${state.url}/token`}",service="referrers-registry"${scope}`,
    });
    return false;
  }

  // The Docker token protocol: scopes `repository:<name>:<actions>` are granted in full to a valid login.
  function token(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const auth = options.auth;
    if (auth?.scheme !== 'bearer') return registryError(res, 404, 'NOT_FOUND', 'no token service');
    const url = new URL(req.url ?? '/', state.url);
    let scopes: string[];
    let ok: boolean;
    if (req.method === 'POST') {
      const form = new URLSearchParams(body.toString());
      ok =
        form.get('grant_type') === 'refresh_token' &&
        auth.identityToken !== undefined &&
        form.get('refresh_token') === auth.identityToken;
      scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    } else {
      ok = basicOK(req.headers.authorization, auth);
      scopes = url.searchParams.getAll('scope');
    }
    if (!ok) return sendJSON(res, 401, { details: 'invalid login' });
    const granted = new Set<string>();
    for (const scope of scopes) {
      const m = /^repository:(.+):([a-z,]+)$/.exec(scope);
      for (const action of m?.[2]?.split(',') ?? []) granted.add(`repository:${m?.[1] ?? ''}:${action}`);
    }
    const issued = randomUUID();
    tokens.set(issued, granted);
    state.issuedTokens.push(issued);
    sendJSON(
      res,
      200,
      req.method === 'POST' ? { access_token: issued, expires_in: 300 } : { token: issued, expires_in: 300 },
    );
  }

  function referrers(res: ServerResponse, r: Repo, name: string, subject: string, url: URL): void {
    if (!referrersApi) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
    const filter = url.searchParams.get('artifactType');
    const all = [];
    for (const [digest, m] of r.manifests) {
      const json = JSON.parse(m.bytes.toString()) as {
        subject?: { digest?: string };
        artifactType?: string;
        config?: { mediaType?: string };
        annotations?: Record<string, string>;
      };
      if (json.subject?.digest !== subject) continue;
      const artifactType = json.artifactType ?? json.config?.mediaType;
      if (filter !== null && artifactType !== filter) continue;
      all.push({
        mediaType: m.mediaType,
        digest,
        size: m.bytes.byteLength,
        ...(artifactType ? { artifactType } : {}),
        ...(json.annotations ? { annotations: json.annotations } : {}),
      });
    }
    all.sort((a, b) => a.digest.localeCompare(b.digest));
    const start = Number(url.searchParams.get('page') ?? '0');
    const size = options.pageSize ?? all.length;
    const page = all.slice(start, start + Math.max(size, 1));
    const headers: Record<string, string> = filter === null ? {} : { 'oci-filters-applied': 'artifactType' };
    if (start + page.length < all.length) {
      const next = new URL(`/v2/${name}/referrers/${subject}`, state.url);
      if (filter !== null) next.searchParams.set('artifactType', filter);
      next.searchParams.set('page', String(start + page.length));
      headers['link'] = `<${next.pathname}${next.search}>; rel="next"`;
    }
    sendJSON(
      res,
      200,
      { schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: page },
      { ...headers, 'content-type': 'application/vnd.oci.image.index.v1+json' },
    );
  }

  function manifests(req: IncomingMessage, body: Buffer, res: ServerResponse, r: Repo, reference: string): void {
    if (req.method === 'PUT') {
      const digest = sha256(body);
      if (reference.startsWith('sha256:') && reference !== digest)
        return registryError(res, 400, 'DIGEST_INVALID', 'digest does not match');
      const mediaType = req.headers['content-type'] ?? '';
      r.manifests.set(digest, { mediaType, bytes: body });
      if (!reference.startsWith('sha256:')) r.tags.set(reference, digest);
      const subject = (JSON.parse(body.toString()) as { subject?: { digest?: string } }).subject?.digest;
      const headers: Record<string, string> = { 'docker-content-digest': digest, location: `/v2/manifests/${digest}` };
      if (ociSubject && subject !== undefined) headers['oci-subject'] = subject;
      return void res.writeHead(201, headers).end();
    }
    const digest = reference.startsWith('sha256:') ? reference : r.tags.get(reference);
    const m = digest === undefined ? undefined : r.manifests.get(digest);
    if (digest === undefined || m === undefined) return registryError(res, 404, 'MANIFEST_UNKNOWN', 'manifest unknown');
    res.writeHead(200, {
      'content-type': m.mediaType,
      'docker-content-digest': digest,
      'content-length': m.bytes.byteLength,
    });
    res.end(req.method === 'HEAD' ? undefined : m.bytes);
  }

  function blobs(
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
    r: Repo,
    name: string,
    rest: string,
    url: URL,
  ): void {
    if (rest.startsWith('blobs/uploads/')) {
      if (req.method === 'POST') {
        const id = randomUUID();
        uploads.set(id, name);
        return void res
          .writeHead(202, { location: `/v2/${name}/blobs/uploads/${id}?_state=opaque`, 'docker-upload-uuid': id })
          .end();
      }
      const id = rest.slice('blobs/uploads/'.length);
      const digest = url.searchParams.get('digest');
      if (req.method !== 'PUT' || uploads.get(id) !== name || digest === null)
        return registryError(res, 404, 'BLOB_UPLOAD_UNKNOWN', 'upload unknown');
      if (sha256(body) !== digest) return registryError(res, 400, 'DIGEST_INVALID', 'digest does not match');
      uploads.delete(id);
      r.blobs.set(digest, body);
      return void res
        .writeHead(201, { 'docker-content-digest': digest, location: `/v2/${name}/blobs/${digest}` })
        .end();
    }
    const blob = r.blobs.get(rest.slice('blobs/'.length));
    if (blob === undefined) return registryError(res, 404, 'BLOB_UNKNOWN', 'blob unknown');
    if (options.redirectBlobsTo !== undefined && req.method === 'GET') {
      return void res.writeHead(307, { location: `${options.redirectBlobsTo}${rest.slice('blobs/'.length)}` }).end();
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.byteLength });
    res.end(req.method === 'HEAD' ? undefined : blob);
  }

  const server: LoopbackServer = await serve(
    (req, body, res) => {
      const url = new URL(req.url ?? '/', state.url);
      if (url.pathname === '/token') return token(req, body, res);
      if (url.pathname === '/v2/' || url.pathname === '/v2') {
        if (authorized(req, res, undefined, false)) sendJSON(res, 200, {});
        return;
      }
      const m = ROUTE.exec(url.pathname);
      const [, name = '', rest = ''] = m ?? [];
      if (m === null) return registryError(res, 404, 'NOT_FOUND', `no route for ${url.pathname}`);
      const push = req.method === 'PUT' || req.method === 'POST';
      if (!authorized(req, res, name, push)) return;
      const r = repo(name);
      if (rest.startsWith('manifests/'))
        return manifests(req, body, res, r, decodeURIComponent(rest.slice('manifests/'.length)));
      if (rest.startsWith('referrers/')) return referrers(res, r, name, rest.slice('referrers/'.length), url);
      if (rest === 'tags/list') return sendJSON(res, 200, { name, tags: [...r.tags.keys()].sort() });
      return blobs(req, body, res, r, name, rest, url);
    },
    {
      faults: () => state.faults,
      onRequest: (req) =>
        state.requests.push({
          method: req.method ?? '',
          path: new URL(req.url ?? '/', 'http://x').pathname,
          authorization: req.headers.authorization,
        }),
    },
  );
  state.url = server.url;
  return {
    host: `127.0.0.1:${server.port}`,
    url: server.url,
    get faults() {
      return state.faults;
    },
    set faults(value: Fault[]) {
      state.faults = value;
    },
    requests: state.requests,
    issuedTokens: state.issuedTokens,
    adminHeaders: { authorization: adminAuthorization },
    stop: () => server.stop(),
  };
}
