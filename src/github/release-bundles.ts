// Reading bundles back from a release: every complete asset whose name says it holds Sigstore bundles
// (`.sigstore.json`, `.intoto.jsonl`, `.jsonl`), as text for verify mode's bundle parser, each
// labelled with the URL people would download it from.

import { MAX_BUNDLE_BYTES } from './limits.ts';
import { downloadAsset, listAssets, READ, releaseByTag } from './releases.ts';
import type { Repository } from './repository.ts';
import type { GitHubClient } from './client.ts';

export interface BundleText {
  source: string; // where it came from, for the report
  text: string;
}

const BUNDLE_ASSET = /\.(sigstore\.json|intoto\.jsonl|jsonl)$/;

export async function listReleaseBundles(rest: GitHubClient, repo: Repository, tag: string): Promise<BundleText[]> {
  const release = await releaseByTag(rest, repo, tag, READ);
  const assets = await listAssets(rest, repo, release, READ);
  const bundles: BundleText[] = [];
  for (const asset of assets) {
    if (asset.state !== 'uploaded' || !BUNDLE_ASSET.test(asset.name)) continue;
    if (asset.size > MAX_BUNDLE_BYTES)
      throw rest.unusable(
        { method: 'GET', url: asset.apiUrl },
        `a release asset "${asset.name}" of ${asset.size} bytes, more than ${MAX_BUNDLE_BYTES}`,
      );
    const bytes = await downloadAsset(rest, asset, MAX_BUNDLE_BYTES, READ);
    bundles.push({ source: asset.downloadUrl, text: bytes.toString('utf8') });
  }
  return bundles;
}
