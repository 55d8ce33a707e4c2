// Publishing bundle files as release assets, idempotently: an asset with the same name and the same
// bytes, or bundles signing the same statements that the caller's CopyCheck says we could have signed,
// is left alone (a re-run uploads nothing); one with other content, or with our statements in a copy
// that is not ours (a predictable statement, stored first with a broken signature), is an error unless
// `replace`,
// and a name that appears while we upload (a concurrent run, or GitHub's 422 for a leftover) is
// re-listed and judged by the same rule. An upload that breaks off leaves no incomplete asset behind.

import { createHash } from 'node:crypto';
import { bundlesOfText, sameStatements, statementsOfText, type CopyCheck } from '../common/attestation-identity.ts';
import { ProvenanceError } from '../common/errors.ts';
import { isAlreadyExists, SERVICE, type Answer } from './failure.ts';
import { MAX_ASSET_ROUNDS, MAX_BUNDLE_BYTES } from './limits.ts';
import {
  deleteAsset,
  downloadAsset,
  listAssets,
  parseAsset,
  releaseByTag,
  WRITE,
  type Release,
  type ReleaseAsset,
} from './releases.ts';
import { repoLabel, type Repository } from './repository.ts';
import type { GitHubClient } from './client.ts';

export interface ReleaseFile {
  name: string;
  content: Buffer;
  contentType: string;
}

export interface PublishedAsset {
  name: string;
  url: string; // browser_download_url
  outcome: 'uploaded' | 'unchanged' | 'replaced';
}

// GitHub renames asset names with other characters, which would defeat finding them again on a re-run.
const ASSET_NAME = /^[A-Za-z0-9_][A-Za-z0-9._+-]*$/;

export async function publishReleaseAssets(
  rest: GitHubClient,
  repo: Repository,
  tag: string,
  files: readonly ReleaseFile[],
  options: { replace: boolean; isOurCopy: CopyCheck },
): Promise<PublishedAsset[]> {
  checkNames(files);
  const release = await releaseByTag(rest, repo, tag, WRITE);
  const ctx: Context = {
    rest,
    repo,
    release,
    replace: options.replace,
    isOurCopy: options.isOurCopy,
    assets: await listAssets(rest, repo, release, WRITE),
  };
  const published: PublishedAsset[] = [];
  for (const file of files) published.push(await publishOne(ctx, file));
  return published;
}

interface Context {
  rest: GitHubClient;
  repo: Repository;
  release: Release;
  replace: boolean;
  isOurCopy: CopyCheck;
  assets: ReleaseAsset[]; // as last listed, updated by what we do
}

async function publishOne(ctx: Context, file: ReleaseFile): Promise<PublishedAsset> {
  let replaced = false;
  let unreadable: Answer | undefined;
  for (let round = 1; round <= MAX_ASSET_ROUNDS; round++) {
    const existing = ctx.assets.find((a) => a.name === file.name);
    if (existing && existing.state !== 'uploaded') {
      await forget(ctx, existing); // debris of an upload that broke off: it blocks the name and is not a bundle
    } else if (existing) {
      if (await sameContent(ctx, existing, file))
        return { name: file.name, url: existing.downloadUrl, outcome: replaced ? 'replaced' : 'unchanged' };
      if (!ctx.replace) throw conflict(ctx, file);
      await forget(ctx, existing);
      replaced = true;
    }
    const uploaded = await upload(ctx, file);
    if (uploaded !== undefined && 'id' in uploaded)
      return { name: file.name, url: uploaded.downloadUrl, outcome: replaced ? 'replaced' : 'uploaded' };
    unreadable = uploaded?.unreadable;
    ctx.assets = await listAssets(ctx.rest, ctx.repo, ctx.release, WRITE); // someone else took the name, or we cannot tell: look again
  }
  if (unreadable !== undefined)
    throw ctx.rest.unusable(unreadable, `HTTP ${unreadable.status} and no usable asset, ${MAX_ASSET_ROUNDS} times`);
  throw new ProvenanceError(
    'GITHUB_API_FAILED',
    `${SERVICE} kept answering "already_exists" for asset "${file.name}" of release ${ctx.release.tag} in ${repoLabel(ctx.repo)} after ${MAX_ASSET_ROUNDS} rounds`,
    'Another job is publishing the same asset at the same time: publish each asset from one job, or re-run',
  );
}

/**
 * The new asset; undefined when the name is taken (422 already_exists); `unreadable` for a success whose
 * body is not an asset (a proxy's garbage), which leaves it open whether the upload was stored: the
 * caller looks again, as for a taken name. Cleans up after a broken upload.
 */
async function upload(ctx: Context, file: ReleaseFile): Promise<ReleaseAsset | { unreadable: Answer } | undefined> {
  let answer;
  try {
    answer = await ctx.rest.send({
      method: 'POST',
      url: ctx.release.uploadUrl,
      query: { name: file.name },
      body: { bytes: file.content, contentType: file.contentType },
    });
  } catch (err) {
    await removeIncomplete(ctx, file.name);
    throw err;
  }
  if (isAlreadyExists(answer)) return undefined;
  if (answer.status < 200 || answer.status >= 300) {
    if (answer.status >= 500) await removeIncomplete(ctx, file.name);
    throw ctx.rest.refusal(answer, WRITE);
  }
  let asset: ReleaseAsset | undefined;
  try {
    asset = parseAsset(ctx.rest.parse(answer));
  } catch {
    asset = undefined;
  }
  if (!asset) return { unreadable: answer };
  ctx.assets.push(asset);
  return asset;
}

// GitHub may have created the asset before the upload broke: left in state "starter" it would block the
// name and look like a release asset to anyone listing. Best effort: the upload's own error matters more.
async function removeIncomplete(ctx: Context, name: string): Promise<void> {
  try {
    const assets = await listAssets(ctx.rest, ctx.repo, ctx.release, WRITE);
    for (const asset of assets)
      if (asset.name === name && asset.state !== 'uploaded') await deleteAsset(ctx.rest, ctx.repo, asset);
  } catch {
    // GitHub is failing already; the next run deletes the leftover before uploading (see publishOne).
  }
}

async function forget(ctx: Context, asset: ReleaseAsset): Promise<void> {
  await deleteAsset(ctx.rest, ctx.repo, asset);
  ctx.assets = ctx.assets.filter((a) => a.id !== asset.id);
}

/**
 * The same bytes, or bundles signing the same statements, each a copy we could have made: a re-run of
 * the step re-signs the same statement into a new bundle, which is the same attestation (see
 * attestation-identity.ts); someone else's bundle with our statement is other content.
 */
async function sameContent(ctx: Context, asset: ReleaseAsset, file: ReleaseFile): Promise<boolean> {
  const ours = `sha256:${sha256(file.content)}`;
  if (asset.digest === ours) return true;
  const oursAreBundles = statementsOfText(file.content.toString('utf8')) !== undefined;
  if (!oursAreBundles) {
    if (asset.size !== file.content.length) return false; // no download needed to tell
    if (asset.digest) return false;
  }
  const theirs = await downloadAsset(ctx.rest, asset, MAX_BUNDLE_BYTES, WRITE);
  if (`sha256:${sha256(theirs)}` === ours) return true;
  const text = theirs.toString('utf8');
  if (!sameStatements(text, file.content.toString('utf8'))) return false;
  for (const bundle of bundlesOfText(text) ?? []) if (!(await ctx.isOurCopy(bundle))) return false;
  return true;
}

function conflict(ctx: Context, file: ReleaseFile): ProvenanceError {
  return new ProvenanceError(
    'RELEASE_ASSET_CONFLICT',
    `release ${ctx.release.tag} of ${repoLabel(ctx.repo)} already has an asset "${file.name}" with other content`,
    'Delete that asset, publish under another name, or allow replacing existing assets',
  );
}

function checkNames(files: readonly ReleaseFile[]): void {
  const seen = new Set<string>();
  for (const { name } of files) {
    if (!ASSET_NAME.test(name) || name.endsWith('.')) {
      throw new ProvenanceError(
        'INPUT_INVALID',
        `release asset name "${name}" would be renamed by GitHub`,
        'Use letters, digits and . _ + - only, not ending in "."',
      );
    }
    if (seen.has(name))
      throw new ProvenanceError(
        'INPUT_CONFLICT',
        `two files would be published as release asset "${name}"`,
        'Give each bundle file its own name',
      );
    seen.add(name);
  }
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
