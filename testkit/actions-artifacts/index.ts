// Loopback stand-in for the two services @actions/artifact (v2+) talks to inside a GitHub Actions job:
// the Actions results service's Twirp JSON API (under ACTIONS_RESULTS_URL) and the Azure Blob storage
// its signed URLs point at. See README.md beside this file for what is modelled and what is not.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { serve } from '../http.ts';

const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.ArtifactService/';

export const TWIRP_METHODS = [
  'CreateArtifact',
  'FinalizeArtifact',
  'ListArtifacts',
  'GetSignedArtifactURL',
  'DeleteArtifact',
] as const;
export type TwirpMethod = (typeof TWIRP_METHODS)[number];
// Blob storage calls, as @azure/storage-blob's BlockBlobClient.uploadStream and @actions/artifact's download make them.
export const BLOB_CALLS = ['blob-put-block', 'blob-put-blocklist', 'blob-put', 'blob-get'] as const;
export type BlobCall = (typeof BLOB_CALLS)[number];
export type ArtifactsEndpoint = TwirpMethod | BlobCall;

// A queued fault: a status answered instead of serving the request (Twirp-shaped JSON on the results
// service, Azure-shaped XML on blob storage), or 'reset' to drop the connection.
export type ArtifactsFault = number | 'reset';

export interface StoredArtifact {
  id: number;
  name: string;
  workflowRunBackendId: string;
  workflowJobRunBackendId: string;
  finalized: boolean;
  size: number;
  hash: string | undefined;
  createdAt: Date;
  blobPath: string;
}

export interface RecordedArtifactsRequest {
  endpoint: ArtifactsEndpoint | 'unknown';
  method: string;
  path: string;
  // Whether the request carried the stand-in's runtime token (Twirp) or the blob's signature (storage); never the secret itself.
  authorized: boolean;
  status: number;
}

export interface ActionsArtifactsStandIn {
  readonly url: string;
  readonly runtimeToken: string;
  readonly workflowRunBackendId: string;
  readonly workflowJobRunBackendId: string;
  /** The variables a job gets from the runner: ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL. */
  readonly env: Record<string, string>;
  readonly artifacts: StoredArtifact[];
  readonly requests: RecordedArtifactsRequest[];
  readonly faults: Record<ArtifactsEndpoint, ArtifactsFault[]>;
  requestsTo(endpoint: ArtifactsEndpoint): RecordedArtifactsRequest[];
  /** Content of a committed blob, e.g. to check the zip @actions/artifact uploaded. */
  blob(path: string): Buffer | undefined;
  stop(): Promise<void>;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/**
 * A runtime token shaped like the runner's: a JWT whose `scp` claim holds
 * `Actions.Results:<workflowRunBackendId>:<workflowJobRunBackendId>`, which @actions/artifact reads with
 * jwt-decode (without checking the signature) to address its Twirp calls.
 */
export function mintRuntimeToken(
  workflowRunBackendId: string,
  workflowJobRunBackendId: string,
  key: Buffer = randomBytes(32),
): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
  const payload = base64url(
    JSON.stringify({
      scp: `Actions.ExampleScope Actions.Results:${workflowRunBackendId}:${workflowJobRunBackendId}`,
      iss: 'vstoken.actions.githubusercontent.com',
      aud: 'vso:stand-in',
      nbf: now,
      exp: now + 3600,
    }),
  );
  const signature = createHmac('sha256', key).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

type Json = Record<string, unknown>;

function twirpError(res: ServerResponse, status: number, code: string, msg: string): void {
  const body = JSON.stringify({ code, msg });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function twirpOk(res: ServerResponse, value: Json): void {
  const body = JSON.stringify(value);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function storageError(res: ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  res.writeHead(status, {
    'content-type': 'application/xml',
    'content-length': Buffer.byteLength(body),
    'x-ms-error-code': code,
  });
  res.end(body);
}

const TWIRP_FAULT_CODES: Record<number, string> = {
  400: 'invalid_argument',
  401: 'unauthenticated',
  403: 'permission_denied',
  404: 'not_found',
  409: 'already_exists',
  429: 'resource_exhausted',
  503: 'unavailable',
};

// google.protobuf wrapper types are plain values in proto3 JSON; accept the object form too.
function wrapped(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (typeof value === 'object' && value !== null && 'value' in value) return wrapped(value.value);
  return undefined;
}

function str(body: Json, key: string): string {
  const value = body[key];
  return typeof value === 'string' ? value : '';
}

export async function startActionsArtifacts(): Promise<ActionsArtifactsStandIn> {
  const workflowRunBackendId = 'ce7f54c7-61c7-4aae-887f-30da475f5f1a';
  const workflowJobRunBackendId = 'ca395085-040a-526b-2ce8-bdc85f692774';
  const runtimeToken = mintRuntimeToken(workflowRunBackendId, workflowJobRunBackendId);
  const signature = randomBytes(16).toString('hex');
  const artifacts: StoredArtifact[] = [];
  const requests: RecordedArtifactsRequest[] = [];
  const faults = Object.fromEntries([...TWIRP_METHODS, ...BLOB_CALLS].map((e) => [e, []])) as unknown as Record<
    ArtifactsEndpoint,
    ArtifactsFault[]
  >;
  const blocks = new Map<string, Map<string, Buffer>>();
  const blobs = new Map<string, { content: Buffer; contentType: string }>();
  let nextId = 1000;
  let baseUrl = '';

  const record = (
    req: IncomingMessage,
    endpoint: ArtifactsEndpoint | 'unknown',
    authorized: boolean,
    res: ServerResponse,
  ): void => {
    const entry: RecordedArtifactsRequest = {
      endpoint,
      method: req.method ?? '',
      path: (req.url ?? '').split('?')[0] ?? '',
      authorized,
      status: 0,
    };
    requests.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
  };

  const twirp = (method: TwirpMethod, body: Json, res: ServerResponse): void => {
    const run = str(body, 'workflow_run_backend_id');
    const job = str(body, 'workflow_job_run_backend_id');
    if (run !== workflowRunBackendId) return twirpError(res, 404, 'not_found', 'workflow run not found');
    const name = str(body, 'name');
    switch (method) {
      case 'CreateArtifact': {
        if (artifacts.some((a) => a.name === name && a.workflowRunBackendId === run))
          return twirpError(
            res,
            409,
            'already_exists',
            'an artifact with this name already exists on the workflow run',
          );
        const id = nextId++;
        const blobPath = `/blob/actions-results/${run}/${id}/${encodeURIComponent(name)}.zip`;
        artifacts.push({
          id,
          name,
          workflowRunBackendId: run,
          workflowJobRunBackendId: job,
          finalized: false,
          size: 0,
          hash: undefined,
          createdAt: new Date(),
          blobPath,
        });
        return twirpOk(res, {
          ok: true,
          signed_upload_url: `${baseUrl}${blobPath}?sv=2023-11-03&sr=b&sp=cw&sig=${signature}`,
        });
      }
      case 'FinalizeArtifact': {
        const artifact = artifacts.find((a) => a.name === name && a.workflowRunBackendId === run && !a.finalized);
        if (!artifact) return twirpError(res, 404, 'not_found', 'artifact not found');
        if (!blobs.has(artifact.blobPath))
          return twirpError(res, 400, 'invalid_argument', 'artifact blob was not uploaded');
        artifact.finalized = true;
        artifact.size = Number(wrapped(body['size']) ?? '0');
        artifact.hash = wrapped(body['hash']);
        return twirpOk(res, { ok: true, artifact_id: String(artifact.id) });
      }
      case 'ListArtifacts': {
        const nameFilter = wrapped(body['name_filter']);
        const idFilter = wrapped(body['id_filter']);
        const listed = artifacts.filter(
          (a) =>
            a.finalized &&
            a.workflowRunBackendId === run &&
            (nameFilter === undefined || a.name === nameFilter) &&
            (idFilter === undefined || String(a.id) === idFilter),
        );
        return twirpOk(res, {
          artifacts: listed.map((a) => ({
            workflow_run_backend_id: a.workflowRunBackendId,
            workflow_job_run_backend_id: a.workflowJobRunBackendId,
            database_id: String(a.id),
            name: a.name,
            size: String(a.size),
            created_at: a.createdAt.toISOString(),
            ...(a.hash === undefined ? {} : { digest: a.hash }),
          })),
        });
      }
      case 'GetSignedArtifactURL': {
        const artifact = artifacts.find((a) => a.name === name && a.workflowRunBackendId === run && a.finalized);
        if (!artifact) return twirpError(res, 404, 'not_found', 'artifact not found');
        return twirpOk(res, { signed_url: `${baseUrl}${artifact.blobPath}?sv=2023-11-03&sr=b&sp=r&sig=${signature}` });
      }
      case 'DeleteArtifact': {
        const index = artifacts.findIndex((a) => a.name === name && a.workflowRunBackendId === run);
        const artifact = artifacts[index];
        if (!artifact) return twirpError(res, 404, 'not_found', 'artifact not found');
        artifacts.splice(index, 1);
        blobs.delete(artifact.blobPath);
        return twirpOk(res, { ok: true, artifact_id: String(artifact.id) });
      }
    }
  };

  const blobEndpoint = (req: IncomingMessage, query: URLSearchParams): BlobCall | undefined => {
    if (req.method === 'GET') return 'blob-get';
    if (req.method !== 'PUT') return undefined;
    if (query.get('comp') === 'block') return 'blob-put-block';
    if (query.get('comp') === 'blocklist') return 'blob-put-blocklist';
    return 'blob-put';
  };

  const storage = (
    endpoint: BlobCall,
    req: IncomingMessage,
    path: string,
    query: URLSearchParams,
    body: Buffer,
    res: ServerResponse,
  ): void => {
    const done = (status: number, headers: Record<string, string> = {}): void => {
      res.writeHead(status, {
        'x-ms-request-id': randomBytes(8).toString('hex'),
        'x-ms-version': '2023-11-03',
        etag: `"0x${randomBytes(6).toString('hex')}"`,
        'last-modified': new Date().toUTCString(),
        ...headers,
      });
      res.end();
    };
    switch (endpoint) {
      case 'blob-put-block': {
        const blockId = query.get('blockid');
        if (!blockId) return storageError(res, 400, 'InvalidQueryParameterValue', 'blockid is required');
        const staged = blocks.get(path) ?? new Map<string, Buffer>();
        staged.set(blockId, body);
        blocks.set(path, staged);
        return done(201, { 'content-md5': createHash('md5').update(body).digest('base64') });
      }
      case 'blob-put-blocklist': {
        const staged = blocks.get(path) ?? new Map<string, Buffer>();
        const ids = [...body.toString('utf8').matchAll(/<(Latest|Uncommitted|Committed)>([^<]*)<\/\1>/g)].map(
          (m) => m[2] ?? '',
        );
        const parts: Buffer[] = [];
        for (const id of ids) {
          const block = staged.get(id);
          if (!block) return storageError(res, 400, 'InvalidBlockList', `block ${id} was not staged`);
          parts.push(block);
        }
        blobs.set(path, {
          content: Buffer.concat(parts),
          contentType: String(req.headers['x-ms-blob-content-type'] ?? 'application/octet-stream'),
        });
        blocks.delete(path);
        return done(201);
      }
      case 'blob-put': {
        blobs.set(path, {
          content: body,
          contentType: String(
            req.headers['x-ms-blob-content-type'] ?? req.headers['content-type'] ?? 'application/octet-stream',
          ),
        });
        return done(201);
      }
      case 'blob-get': {
        const blob = blobs.get(path);
        if (!blob) return storageError(res, 404, 'BlobNotFound', 'The specified blob does not exist.');
        res.writeHead(200, {
          'content-type': blob.contentType,
          'content-length': blob.content.length,
          'x-ms-blob-type': 'BlockBlob',
        });
        res.end(blob.content);
        return;
      }
    }
  };

  const server = await serve((req, body, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (url.pathname.startsWith(TWIRP_PREFIX)) {
      const method = url.pathname.slice(TWIRP_PREFIX.length);
      const known = (TWIRP_METHODS as readonly string[]).includes(method) ? (method as TwirpMethod) : undefined;
      const authorized = req.headers.authorization === `Bearer ${runtimeToken}`;
      record(req, known ?? 'unknown', authorized, res);
      if (!known || req.method !== 'POST')
        return twirpError(res, 404, 'bad_route', `no handler for ${req.method ?? ''} ${url.pathname}`);
      const fault = faults[known].shift();
      if (fault === 'reset') return void req.socket.destroy();
      if (fault !== undefined)
        return twirpError(res, fault, TWIRP_FAULT_CODES[fault] ?? 'internal', `injected fault ${fault}`);
      if (!authorized) return twirpError(res, 401, 'unauthenticated', 'invalid or missing runtime token');
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return twirpError(res, 400, 'malformed', 'request body is not JSON');
      }
      if (typeof parsed !== 'object' || parsed === null)
        return twirpError(res, 400, 'malformed', 'request body is not an object');
      return twirp(known, parsed as Json, res);
    }
    if (url.pathname.startsWith('/blob/')) {
      const endpoint = blobEndpoint(req, url.searchParams);
      const authorized = url.searchParams.get('sig') === signature;
      record(req, endpoint ?? 'unknown', authorized, res);
      if (!endpoint) return storageError(res, 405, 'UnsupportedHttpVerb', `${req.method ?? ''} is not supported`);
      const fault = faults[endpoint].shift();
      if (fault === 'reset') return void req.socket.destroy();
      if (fault !== undefined)
        return storageError(res, fault, fault === 503 ? 'ServerBusy' : 'InternalError', `injected fault ${fault}`);
      if (!authorized) return storageError(res, 403, 'AuthenticationFailed', 'Signature did not match.');
      return storage(endpoint, req, url.pathname, url.searchParams, body, res);
    }
    record(req, 'unknown', false, res);
    return twirpError(res, 404, 'bad_route', `no handler for ${url.pathname}`);
  });
  baseUrl = server.url;

  return {
    url: server.url,
    runtimeToken,
    workflowRunBackendId,
    workflowJobRunBackendId,
    env: { ACTIONS_RUNTIME_TOKEN: runtimeToken, ACTIONS_RESULTS_URL: `${server.url}/` },
    artifacts,
    requests,
    faults,
    requestsTo: (endpoint) => requests.filter((r) => r.endpoint === endpoint),
    blob: (path) => blobs.get(path)?.content,
    stop: () => server.stop(),
  };
}
