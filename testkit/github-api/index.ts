// A stand-in for the part of GitHub's REST API that publishing bundles uses: releases by tag, release
// assets (list, upload, download, delete, with `state`), and the attestations API (POST and GET by
// subject digest); and what the source stage reads: branch rules, rulesets, classic protection, a
// commit's pull requests and their reviews (source-routes.ts). It exists because no real GitHub runs here (see /work/shared/notes/local-sigstore.md):
// it answers on 127.0.0.1 the way GitHub's REST documentation describes, records every request for
// assertions, and injects faults per endpoint. It is not GitHub: anything it does not model (other
// endpoints, auth scopes, GitHub's exact error wording) must not be read into a passing test.

import { performance } from 'node:perf_hooks';
import { serve } from '../http.ts';
import {
  answerFault,
  describeFault,
  emptyQueues,
  faultDelay,
  ENDPOINTS,
  errorBody,
  type Endpoint,
  type FaultQueues,
  type GitHubFault,
} from './faults.ts';
import { Model, subjectDigests, type StoredAsset, type StoredAttestation } from './model.ts';
import { attestationRoutes } from './attestation-routes.ts';
import { repoKnown, sendJSON, type Call, type StandInSettings } from './call.ts';
import { releaseRoutes } from './release-routes.ts';
import { SourceModel, sourceRoutes } from './source-routes.ts';

export { ENDPOINTS } from './faults.ts';
export type { Endpoint, GitHubFault } from './faults.ts';
export type { StoredAsset, StoredAttestation } from './model.ts';
export { snappyLiteralOnly } from './snappy.ts';
export { SourceModel, SOURCE_ENDPOINTS } from './source-routes.ts';
export type { BypassActor, ClassicSetup, PullSetup, RulesetSetup } from './source-routes.ts';

export interface RecordedRequest {
  endpoint: Endpoint | 'unknown';
  method: string;
  path: string; // without the query
  query: Record<string, string>;
  at: number; // performance.now() on arrival: for measuring waits between requests
  wallClock: number; // Date.now() on arrival: for comparing with x-ratelimit-reset
  auth: 'token' | 'other' | 'none'; // whether Authorization carried the stand-in's token (the token itself is not kept)
  accept: string | undefined;
  apiVersion: string | undefined; // X-GitHub-Api-Version
  contentType: string | undefined;
  bodyBytes: number;
  fault: string | undefined; // the fault it met, if any
  status: number | undefined; // the status answered; undefined when the connection was dropped
}

export interface GitHubApiOptions extends Partial<StandInSettings> {
  repositories?: string[]; // owner/name of the repositories that exist; default octo-org/octo-repo
}

export interface GitHubApiStandIn {
  readonly url: string; // also the API base: use as GITHUB_API_URL
  readonly token: string; // the only token it accepts
  readonly settings: StandInSettings; // mutable between requests
  readonly requests: RecordedRequest[];
  readonly faults: FaultQueues; // FIFO per endpoint: each request pops one
  /** Branch rules, protection, pull requests and reviews (the source stage's reads); mutable between requests. */
  readonly source: SourceModel;
  /** The next `n` calls of each endpoint (all, or those named) answer with `fault`. */
  failFirst(n: number, fault?: GitHubFault, endpoints?: readonly Endpoint[]): void;
  requestsTo(endpoint: Endpoint): RecordedRequest[];
  createRelease(repo: string, tag: string): number;
  addAsset(repo: string, tag: string, name: string, content: Buffer, state?: string): StoredAsset;
  assets(repo: string, tag: string): StoredAsset[];
  addAttestation(repo: string, bundle: unknown): number;
  attestations(repo: string): StoredAttestation[];
  stop(): Promise<void>;
}

const header = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(', ') : value;

export const STAND_IN_TOKEN = 'ghs_standInToken0123456789abcdefghijkl';

export async function startGitHubApi(options: GitHubApiOptions = {}): Promise<GitHubApiStandIn> {
  const model = new Model(options.repositories ?? ['octo-org/octo-repo']);
  const settings: StandInSettings = {
    token: options.token ?? STAND_IN_TOKEN,
    serverUrl: options.serverUrl ?? 'https://github.com',
    maxPerPage: options.maxPerPage ?? 100,
    attestations: options.attestations ?? 'available',
    inlineBundles: options.inlineBundles ?? true,
    assetDigests: options.assetDigests ?? false,
  };
  const faults = emptyQueues();
  const requests: RecordedRequest[] = [];
  const source = new SourceModel();
  const table = [...releaseRoutes(model, settings), ...attestationRoutes(model, settings), ...sourceRoutes(source)];
  let base = '';

  const server = await serve(async (req, body, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = req.method ?? 'GET';
    const match = table
      .map((route) => ({ route, m: route.method === method ? route.pattern.exec(url.pathname) : null }))
      .find((x) => x.m);
    const authorization = req.headers.authorization;
    const record: RecordedRequest = {
      endpoint: match?.route.endpoint ?? 'unknown',
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      at: performance.now(),
      wallClock: Date.now(),
      auth: authorization === undefined ? 'none' : authorization === `Bearer ${settings.token}` ? 'token' : 'other',
      accept: req.headers.accept,
      apiVersion: header(req.headers['x-github-api-version']),
      contentType: req.headers['content-type'],
      bodyBytes: body.length,
      fault: undefined,
      status: undefined,
    };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    const call: Call = { req, res, body, url, params: match?.m?.slice(1) ?? [], base, lost: false, interrupted: false };
    if (!match) return sendJSON(call, 404, errorBody(404, 'Not Found'));
    const fault = faults[match.route.endpoint].shift();
    if (fault !== undefined) {
      record.fault = describeFault(fault);
      if (answerFault(fault, req, res)) return;
      if (fault === 'lost-response') call.lost = true;
      if (fault === 'interrupted-upload') call.interrupted = true;
      const delay = faultDelay(fault);
      if (delay !== undefined) await new Promise((r) => setTimeout(r, delay));
    }
    if (match.route.needsToken && record.auth !== 'token') {
      return sendJSON(
        call,
        401,
        errorBody(401, record.auth === 'none' ? 'Requires authentication' : 'Bad credentials'),
      );
    }
    if (match.route.inRepository && !repoKnown(model, call, call.params[0] ?? '')) return;
    match.route.handle(call);
  });
  base = server.url;

  const releaseOf = (repo: string, tag: string) => {
    const release = model.release(repo, (r) => r.tag === tag);
    if (!release) throw new Error(`stand-in: no release ${tag} in ${repo}`);
    return release;
  };

  return {
    url: server.url,
    token: settings.token,
    settings,
    requests,
    faults,
    source,
    failFirst(n, fault = 503, endpoints = ENDPOINTS) {
      for (const endpoint of endpoints) for (let i = 0; i < n; i++) faults[endpoint].push(fault);
    },
    requestsTo: (endpoint) => requests.filter((r) => r.endpoint === endpoint),
    createRelease: (repo, tag) => model.createRelease(repo, tag).id,
    addAsset(repo, tag, name, content, state = 'uploaded') {
      const asset = {
        id: model.id(),
        releaseId: releaseOf(repo, tag).id,
        name,
        contentType: 'application/json',
        state,
        content,
      };
      model.assets.push(asset);
      return asset;
    },
    assets: (repo, tag) => model.assetsOf(releaseOf(repo, tag).id),
    addAttestation(repo, bundle) {
      const id = model.id();
      model.attestations.push({ id, repo: repo.toLowerCase(), bundle, digests: subjectDigests(bundle) });
      return id;
    },
    attestations: (repo) => model.attestations.filter((a) => a.repo === repo.toLowerCase()),
    stop: () => server.stop(),
  };
}
