// The release endpoints both publishing and reading need: the release for a tag, its assets (paged),
// downloading one asset's bytes, deleting one. GitHub's JSON is parsed here into the few fields we use.

import { ProvenanceError } from '../common/errors.ts';
import { describeRequest, SERVICE, type RequestIntent } from './failure.ts';
import { repoLabel, repoPath, type Repository } from './repository.ts';
import type { GitHubClient } from './client.ts';

export interface Release {
  id: number;
  tag: string;
  uploadUrl: string; // without the {?name,label} template
}

export interface ReleaseAsset {
  id: number;
  name: string;
  size: number;
  state: string; // "uploaded" when complete; an interrupted upload leaves "starter" (or "open")
  apiUrl: string; // GET with Accept: application/octet-stream downloads it
  downloadUrl: string; // browser_download_url: what people and other tools fetch
  digest: string | undefined; // "sha256:<hex>", on GitHub versions that compute it
}

export const READ: RequestIntent = { permission: 'contents: read' };
export const WRITE: RequestIntent = { permission: 'contents: write' };

export async function releaseByTag(
  rest: GitHubClient,
  repo: Repository,
  tag: string,
  intent: RequestIntent,
): Promise<Release> {
  const answer = await rest.send({ method: 'GET', url: repoPath(repo, 'releases', 'tags', tag) });
  if (answer.status === 404) {
    throw new ProvenanceError(
      'RELEASE_NOT_FOUND',
      `${SERVICE} has no published release for tag "${tag}" in ${repoLabel(repo)} (${describeRequest(answer.method, answer.url)} answered HTTP 404)`,
      `Create the release first, e.g. "gh release create ${tag}" in an earlier step (a draft is not found by tag); for a private repository also grant "permissions: ${intent.permission}"`,
    );
  }
  if (answer.status !== 200) throw rest.refusal(answer, intent);
  // JSON, but any JSON: `null` or a list is as unusable as an object without the fields.
  const body = rest.parse(answer) as { id?: unknown; upload_url?: unknown } | null;
  if (typeof body?.id !== 'number' || typeof body.upload_url !== 'string')
    throw rest.unusable(answer, 'a release without id or upload_url');
  return { id: body.id, tag, uploadUrl: body.upload_url.replace(/\{[^}]*\}$/, '') };
}

export async function listAssets(
  rest: GitHubClient,
  repo: Repository,
  release: Release,
  intent: RequestIntent,
): Promise<ReleaseAsset[]> {
  return rest.list({ method: 'GET', url: repoPath(repo, 'releases', release.id, 'assets') }, intent, (page, answer) => {
    if (!Array.isArray(page)) throw rest.unusable(answer, 'an asset list that is not an array');
    return (page as unknown[]).map((item) => {
      const asset = parseAsset(item);
      if (!asset) throw rest.unusable(answer, 'an asset without id, name, size, state or url');
      return asset;
    });
  });
}

export function parseAsset(value: unknown): ReleaseAsset | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const a = value as Record<string, unknown>;
  if (
    typeof a['id'] !== 'number' ||
    typeof a['name'] !== 'string' ||
    typeof a['size'] !== 'number' ||
    typeof a['state'] !== 'string' ||
    typeof a['url'] !== 'string'
  )
    return undefined;
  const digest = a['digest'];
  return {
    id: a['id'],
    name: a['name'],
    size: a['size'],
    state: a['state'],
    apiUrl: a['url'],
    downloadUrl: typeof a['browser_download_url'] === 'string' ? a['browser_download_url'] : a['url'],
    digest: typeof digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(digest) ? digest : undefined,
  };
}

/** The asset's bytes. GitHub answers 302 to its storage on another host; fetch follows it and drops our token on the way. */
export async function downloadAsset(
  rest: GitHubClient,
  asset: ReleaseAsset,
  maxBytes: number,
  intent: RequestIntent,
): Promise<Buffer> {
  const answer = await rest.send({
    method: 'GET',
    url: asset.apiUrl,
    accept: 'application/octet-stream',
    maxBytes,
    raw: true,
  });
  if (answer.status !== 200 || !Buffer.isBuffer(answer.data)) throw rest.refusal(answer, intent);
  return answer.data;
}

/** Deletes an asset; one already gone (a concurrent run deleted it) is fine. */
export async function deleteAsset(rest: GitHubClient, repo: Repository, asset: ReleaseAsset): Promise<void> {
  const answer = await rest.send({ method: 'DELETE', url: repoPath(repo, 'releases', 'assets', asset.id) });
  if (answer.status !== 204 && answer.status !== 404) throw rest.refusal(answer, WRITE);
}
