// The stand-in's memory: repositories, releases with their assets, stored attestations, and the JSON
// GitHub renders for each (only the fields GitHub documents that a client could rely on).

import { createHash } from 'node:crypto';

export interface StoredAsset {
  id: number;
  releaseId: number;
  name: string;
  contentType: string;
  // "uploaded" once complete; GitHub leaves "starter" behind when an upload breaks off.
  state: string;
  content: Buffer;
}

export interface StoredRelease {
  id: number;
  repo: string; // owner/name
  tag: string;
}

export interface StoredAttestation {
  id: number;
  repo: string;
  bundle: unknown;
  digests: string[]; // sha256:<hex> of every subject
}

export class Model {
  readonly repositories = new Map<string, number>(); // owner/name → repository_id
  readonly releases: StoredRelease[] = [];
  readonly assets: StoredAsset[] = [];
  readonly attestations: StoredAttestation[] = [];
  #nextId = 1000;

  constructor(repositories: readonly string[]) {
    for (const repo of repositories) this.repositories.set(repo.toLowerCase(), this.id());
  }

  id(): number {
    return this.#nextId++;
  }

  createRelease(repo: string, tag: string): StoredRelease {
    const release = { id: this.id(), repo: repo.toLowerCase(), tag };
    this.releases.push(release);
    return release;
  }

  release(repo: string, predicate: (r: StoredRelease) => boolean): StoredRelease | undefined {
    return this.releases.find((r) => r.repo === repo.toLowerCase() && predicate(r));
  }

  assetsOf(releaseId: number): StoredAsset[] {
    return this.assets.filter((a) => a.releaseId === releaseId);
  }
}

export function releaseJSON(base: string, release: StoredRelease, assets: StoredAsset[], serverUrl: string): object {
  const repoUrl = `${base}/repos/${release.repo}`;
  return {
    id: release.id,
    tag_name: release.tag,
    name: release.tag,
    draft: false,
    prerelease: false,
    url: `${repoUrl}/releases/${release.id}`,
    assets_url: `${repoUrl}/releases/${release.id}/assets`,
    upload_url: `${base}/uploads/repos/${release.repo}/releases/${release.id}/assets{?name,label}`,
    html_url: `${serverUrl}/${release.repo}/releases/tag/${encodeURIComponent(release.tag)}`,
    assets: assets.map((a) => assetJSON(base, release, a, serverUrl, false)),
  };
}

export function assetJSON(
  base: string,
  release: StoredRelease,
  asset: StoredAsset,
  serverUrl: string,
  withDigest: boolean,
): object {
  return {
    id: asset.id,
    url: `${base}/repos/${release.repo}/releases/assets/${asset.id}`,
    browser_download_url: `${serverUrl}/${release.repo}/releases/download/${encodeURIComponent(release.tag)}/${encodeURIComponent(asset.name)}`,
    name: asset.name,
    label: '',
    state: asset.state,
    content_type: asset.contentType,
    size: asset.content.length,
    download_count: 0,
    ...(withDigest ? { digest: `sha256:${sha256(asset.content)}` } : {}),
  };
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** sha256:<hex> of each subject of a DSSE bundle's in-toto statement; [] when there is none. */
export function subjectDigests(bundle: unknown): string[] {
  const payload = (bundle as { dsseEnvelope?: { payload?: unknown } } | undefined)?.dsseEnvelope?.payload;
  if (typeof payload !== 'string') return [];
  try {
    const statement = JSON.parse(Buffer.from(payload, 'base64').toString('utf8')) as {
      subject?: { digest?: { sha256?: unknown } }[];
    };
    return (statement.subject ?? []).flatMap((s) =>
      typeof s.digest?.sha256 === 'string' ? [`sha256:${s.digest.sha256.toLowerCase()}`] : [],
    );
  } catch {
    return [];
  }
}
