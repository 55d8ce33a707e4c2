// Finding the attestations a new one builds on (the links input): bundle files named by paths
// or globs, and, with `published`, the attestations already published for the subjects, read
// where verify mode reads them (the registry next to an image subject, the GitHub attestations
// API, the release this step uploads to). Links are recorded, not trusted: verify mode checks
// every linked attestation in full. Here each one only has to be an in-toto attestation about
// one of the subjects, so a wrong path fails now rather than as a broken chain at deploy time.

import { createHash } from 'node:crypto';
import { ProvenanceError } from '../../common/errors.ts';
import { isObject } from '../../common/json.ts';
import type { Log } from '../../common/log.ts';
import { untrusted } from '../../output/untrusted.ts';
import type { Subject } from '../../subjects/index.ts';
import { claimedSubject, sameArtifact } from '../../subjects/claimed.ts';
import { loadBundleSources, type LoadedBundle } from '../../verify/index.ts';
import type { LinkTarget } from '../../stages/links.ts';

export interface LinkRequest {
  patterns: string;
  published: boolean;
}

export interface LinkContext {
  workspace: string;
  /** false: links may name bundles outside the workspace (the CLI). */
  confined: boolean;
  env: NodeJS.ProcessEnv;
  /** OWNER/REPO of the job's verified identity: where published attestations are read on GitHub. */
  repository: string | undefined;
  githubToken: string;
  /** The release this step uploads to, if any: its assets are published attestations too. */
  release: string | undefined;
  /** The subject names that are images (subject-name with a digest). */
  imageNames: string;
  log: Log;
}

const IN_TOTO = 'application/vnd.in-toto+json';

export async function resolveLinks(
  request: LinkRequest,
  subjects: readonly Subject[],
  ctx: LinkContext,
): Promise<LinkTarget[]> {
  const targets: LinkTarget[] = [];
  if (request.patterns !== '') {
    const { loadBundleFiles } = await loadBundleSources();
    for (const bundle of await loadBundleFiles(request.patterns, ctx.workspace, undefined, 'links', ctx.confined)) {
      const target = linkTargetOf(bundle, subjects);
      if (typeof target === 'string') {
        throw new ProvenanceError(
          'LINK_INVALID',
          `links: ${untrusted(bundle.source)} ${target}`,
          'Name the bundle files of the earlier stage for these same artifacts (the bundle-path output of its attest step)',
        );
      }
      targets.push(target);
    }
  }
  if (request.published) {
    const found = (await publishedBundles(subjects, ctx))
      .map((b) => linkTargetOf(b, subjects))
      .filter((t): t is LinkTarget => typeof t !== 'string');
    if (found.length === 0) {
      throw new ProvenanceError(
        'LINK_INVALID',
        `links: published: no attestation of ${subjects.length === 1 ? untrusted(subjects[0]?.name ?? '') : `these ${subjects.length} subjects`} is published ${placesRead(subjects, ctx)}`,
        'Run the earlier stage first and publish its bundle (attestations-api, push-to-registry or upload-to-release), or name its bundle file in links',
      );
    }
    ctx.log.info(`links: ${found.length} published attestation(s) of these subjects`);
    targets.push(...found);
  }
  // One link per attestation, however many places it was read from.
  return [...new Map(targets.map((t) => [t.statementDigest, t])).values()];
}

/** A link to this bundle, or why it cannot be one. */
export function linkTargetOf(bundle: LoadedBundle, subjects: readonly Subject[]): LinkTarget | string {
  if (bundle.failure) return `is not a bundle (${untrusted(bundle.failure.found)})`;
  const envelope = isObject(bundle.json) ? bundle.json['dsseEnvelope'] : undefined;
  if (!isObject(envelope) || typeof envelope['payload'] !== 'string' || envelope['payloadType'] !== IN_TOTO)
    return 'is not a Sigstore bundle of an in-toto attestation (no DSSE envelope with an in-toto payload)';
  const payload = Buffer.from(envelope['payload'], 'base64');
  let statement: unknown;
  try {
    statement = JSON.parse(payload.toString('utf8'));
  } catch {
    return 'carries a payload that is not JSON';
  }
  if (!isObject(statement) || typeof statement['predicateType'] !== 'string' || !Array.isArray(statement['subject']))
    return 'carries no in-toto statement';
  const claimed = (statement['subject'] as unknown[]).flatMap(claimedSubject).map((s) => s.digest);
  if (!subjects.some((subject) => claimed.some((digest) => sameArtifact(digest, subject.digest))))
    return "attests none of this step's subjects";
  return {
    statementDigest: createHash('sha256').update(payload).digest('hex'),
    predicateType: statement['predicateType'],
    source: bundle.source,
  };
}

async function publishedBundles(subjects: readonly Subject[], ctx: LinkContext): Promise<LoadedBundle[]> {
  const bundles: LoadedBundle[] = [];
  const images = imageSubjects(subjects, ctx.imageNames);
  if (images.length > 0) {
    const [{ createBundleRegistry, parseImageReference }, { loadedJSON }] = await Promise.all([
      import('../../registry/index.ts'),
      loadBundleSources(),
    ]);
    const registry = createBundleRegistry();
    for (const image of images) {
      const ref = parseImageReference(image.name, 'subject-name');
      for (const found of await registry.listBundles({
        ...ref,
        tag: undefined,
        digest: `sha256:${image.digest['sha256'] ?? ''}`,
      })) {
        bundles.push(
          found.problem === undefined
            ? loadedJSON(found.source, found.json)
            : {
                source: found.source,
                json: undefined,
                failure: { check: 'bundle-format', expected: 'a bundle', found: found.problem },
              },
        );
      }
    }
  }
  const api = ctx.githubToken !== '' && ctx.repository !== undefined;
  if (api || (ctx.release !== undefined && ctx.repository !== undefined)) {
    const { githubBundles } = await loadBundleSources();
    bundles.push(
      ...(await githubBundles(
        { repository: ctx.repository, release: ctx.release, attestationsApi: api, token: ctx.githubToken },
        subjects,
        ctx.env,
      )),
    );
  }
  return bundles;
}

function imageSubjects(subjects: readonly Subject[], names: string): Subject[] {
  const wanted = new Set(
    names
      .split(/\r?\n/)
      .map((n) => n.trim())
      .filter((n) => n !== ''),
  );
  return subjects.filter(
    (s) =>
      wanted.has(s.name) &&
      s.digest['sha256'] !== undefined &&
      /^[^/\s]+\.[^/\s]+\/|^localhost(:\d+)?\/|^[^/\s]+:\d+\//.test(s.name),
  );
}

function placesRead(subjects: readonly Subject[], ctx: LinkContext): string {
  const places: string[] = [];
  if (imageSubjects(subjects, ctx.imageNames).length > 0) places.push("in the image's registry");
  if (ctx.githubToken !== '' && ctx.repository !== undefined)
    places.push(`in ${untrusted(ctx.repository)}'s attestations API`);
  if (ctx.release !== undefined && ctx.repository !== undefined) places.push(`in release ${untrusted(ctx.release)}`);
  return places.length > 0
    ? places.join(' or ')
    : 'anywhere this step can read (no image subject, and no github-token for the attestations API)';
}
