// Verify mode, start to finish: inputs → trusted roots → bundles → cryptographic checks →
// policy → one verdict per artifact → report. Trust material is parsed once per run; each bundle
// is verified once however many artifacts it covers, on every core when there are many
// (crypto-pool.ts); the only write is the JSON report.

import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ProvenanceError } from '../common/errors.ts';
import { ownValue } from '../common/json.ts';
import type { VerifySettings } from './settings.ts';
import { writeFileAtomic } from '../common/atomic-write.ts';
import { FAILURE_FIELD_MAX, untrusted } from '../output/untrusted.ts';
import { collectSubjects, type Subject } from '../subjects/index.ts';
import type { Runtime } from '../common/runtime.ts';
import { readRoots, resolveInside, writeRoots, type PathRoots, type PathRules } from '../common/workspace.ts';
import { loadBundleFiles } from './sources/bundle-files.ts';
import { claimedStatement, isBareEnvelope, parseBundleText, type LoadedBundle } from './sources/bundle-text.ts';
import type { ArtifactInput } from './crypto/index.ts';
import type { CryptoJob } from './workers/crypto-jobs.ts';
import { prestartCryptoWorkers, PRESTART_BYTES, runCryptoJobs } from './workers/crypto-pool.ts';
import { chainArtifactVerdict } from './chain/report.ts';
import { judgeChains } from './chain/chain.ts';
import { judgeArtifacts, unusedBundles, type BundleOutcome } from './judge.ts';
import { bundleContent, contentFailures } from './policy/cel/evaluate.ts';
import type { ContentResult } from './policy/cel/types.ts';
import { describePolicy, evaluatePolicy, namesSigner, type Policy } from './policy/index.ts';
import { MAX_POLICY_FILE_BYTES } from './policy/policy-file.ts';
import { buildReport, type VerifyReport } from './report/report.ts';
import { imageUses, imageArtifacts, githubBundles } from './sources/sources.ts';
import { requirePinnedImages } from './sources/pinned-images.ts';
import type { ImageUse } from './sources/manifests.ts';
import {
  createTrust,
  loadTrustedRoots,
  NAMED_TRUSTED_ROOTS,
  tufTempDir,
  type LoadOptions,
  type Trust,
  type TrustedRootJSON,
} from './trust/index.ts';
import { VerificationError, type VerifiedBundle } from './types.ts';

/** What tests may change besides the Runtime. */
export interface VerifyOptions {
  /** Other TUF repositories (and pinned roots) for the named trusted roots. */
  trustedRootSources?: Pick<LoadOptions, 'publicGood' | 'github'>;
}

export interface VerifyOutcome {
  report: VerifyReport;
  /** Undefined when no report file was asked for. */
  reportFile: string | undefined;
  /** Where each verified image is referenced (manifests), for annotations. */
  imageUses: readonly ImageUse[];
}

export async function verify(
  settings: VerifySettings,
  policy: Policy,
  rt: Runtime,
  options: VerifyOptions = {},
): Promise<VerifyOutcome> {
  const confined = rt.confined;
  const key = settings.key === undefined ? undefined : await readKey(settings.key, rt.workspace, readRoots(rt));
  if (!namesSigner(policy) && key === undefined) {
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      "verify mode needs a rule naming the signer, or any GitHub repository's provenance would pass: none of repository, owner, signer-workflow, signer-repository, builder-id, certificate-identity, certificate-identity-regexp is set",
      'Add e.g. "repository: OWNER/REPO" (and "signer-workflow: OWNER/REPO/.github/workflows/release.yml"), or "key" for bundles signed with a managed key',
    );
  }
  const reportFile =
    settings.reportPath === undefined
      ? rt.temp === undefined
        ? undefined
        : defaultReportFile(rt.temp)
      : resolveInside('report-path', settings.reportPath, rt.workspace, writeRoots(rt));
  const trust = createTrust(
    await trustedRoots(settings.trustedRoot, rt.workspace, readRoots(rt), {
      ...options.trustedRootSources,
      tempDir: tufTempDir(rt.env),
      log: rt.log,
    }),
  );
  // Many bundles: the pool's workers boot while this thread reads them.
  const loaded = settings.bundlePath
    ? await loadBundleFiles(
        settings.bundlePath,
        rt.workspace,
        (bytes) => bytes >= PRESTART_BYTES && prestartCryptoWorkers(trust),
        'bundle-path',
        confined,
      )
    : [];
  const uses = await imageUses(settings.images, settings.manifests, rt.workspace, confined);
  if (settings.requireDigest) requirePinnedImages(uses);
  const images = uses.length > 0 ? await imageArtifacts(uses) : { artifacts: [], bundles: [] };
  loaded.push(...images.bundles);
  const github = { repository: policy.repository, token: settings.githubToken };
  loaded.push(
    ...(await githubBundles(
      { ...github, release: releaseTag(settings.release, rt.env), attestationsApi: false },
      [],
      rt.env,
    )),
  );
  if (settings.artifact !== undefined) {
    // The artifact client is megabytes: loaded only when an artifact is read.
    const { artifactBundles } = await import('./sources/artifact-source.ts');
    loaded.push(
      ...(await artifactBundles(settings.artifact, rt.env)).flatMap((t) => parseBundleText(t.text, t.source)),
    );
  }

  // npm-style statements name artifacts by SHA-512 only; compute it too when any statement does.
  // Each statement's claims are decoded once: they choose the digests here and attribute failures later.
  const claims = loaded.map((b) => claimedStatement(b.json));
  const needsSha512 = claims.some(({ subjects }) =>
    subjects.some((s) => ownValue(s.digest, 'sha512') !== undefined && ownValue(s.digest, 'sha256') === undefined),
  );
  const fileArtifacts = hasSubjectInputs(settings)
    ? await collectSubjects(settings.subjects, {
        workspace: rt.workspace,
        confined,
        algorithms: needsSha512 ? ['sha256', 'sha512'] : ['sha256'],
      })
    : [];
  const artifacts = [...fileArtifacts, ...images.artifacts];
  const lookups = attestationLookups(settings, policy, artifacts, claims);
  if (lookups.length > 0) {
    const fromApi = await githubBundles({ ...github, release: undefined, attestationsApi: true }, lookups, rt.env);
    loaded.push(...fromApi);
    claims.push(...fromApi.map((b) => claimedStatement(b.json)));
  }
  rt.log.info(
    `read ${loaded.length} bundle(s) for ${artifacts.length} artifact(s); trusted root: ${settings.trustedRoot}`,
  );

  const outcomes = await bundleOutcomes(loaded, claims, trust, key, artifacts);
  const now = rt.now();
  // With require-chain the chain decides: every stage found, passing its own policy, linked to the one before.
  const chains =
    policy.requireChain === undefined ? undefined : judgeChains(artifacts, outcomes, policy.requireChain, now);
  // Content policies (cel) run once per bundle, after the other checks, and only when given.
  const contents = new Map<VerifiedBundle, ContentResult[]>();
  const contentOf = (bundle: VerifiedBundle): ContentResult[] => {
    let results = contents.get(bundle);
    if (results === undefined)
      contents.set(bundle, (results = bundleContent(policy.cel, bundle.statement, bundle.certificate)));
    return results;
  };
  const verdicts =
    chains === undefined
      ? judgeArtifacts(
          artifacts,
          outcomes,
          (bundle) => [...evaluatePolicy(policy, bundle, now), ...contentFailures(contentOf(bundle))],
          policy.cel === undefined ? undefined : contentOf,
        )
      : chains.map(chainArtifactVerdict);
  const report = buildReport(verdicts, unusedBundles(artifacts, outcomes), {
    time: now,
    trustedRoot: settings.trustedRoot,
    policy: describePolicy(policy),
    ...(chains && { chains }),
  });
  if (reportFile !== undefined) await writeFileAtomic(reportFile, `${JSON.stringify(report, null, 2)}\n`);
  return { report, reportFile, imageUses: uses };
}

/**
 * The artifacts whose bundles are looked up in the attestations API. `true`: every one. `auto` (the
 * default, and on GitHub the job token is always there): only those that no bundle read elsewhere lists,
 * so a gate given its bundle files makes no request per artifact (100,000 artifacts would otherwise be
 * 100,000 requests against a rate limit of 1,000 an hour); with require-chain every one, since a chain's
 * stages may be published in different places.
 */
function attestationLookups(
  settings: VerifySettings,
  policy: Policy,
  artifacts: readonly Subject[],
  claims: readonly ReturnType<typeof claimedStatement>[],
): readonly Subject[] {
  if (settings.attestationsApi === 'true') return artifacts;
  if (settings.attestationsApi === 'false' || settings.githubToken === '' || policy.repository === undefined) return [];
  if (policy.requireChain !== undefined) return artifacts;
  const listed = new Set(claims.flatMap(({ subjects }) => subjects.map((s) => ownValue(s.digest, 'sha256'))));
  return artifacts.filter((a) => !listed.has(a.digest['sha256']));
}

/**
 * Each bundle's outcome, in order: what fails before any check (not JSON, a bare envelope) here,
 * the cryptographic checks by runCryptoJobs (in worker threads when there are many bundles).
 */
async function bundleOutcomes(
  loaded: readonly LoadedBundle[],
  claims: readonly ReturnType<typeof claimedStatement>[],
  trust: Trust,
  key: string | undefined,
  artifacts: readonly Subject[],
): Promise<BundleOutcome[]> {
  const outcomes = new Array<BundleOutcome>(loaded.length);
  const jobs: CryptoJob[] = [];
  const jobBundles: number[] = [];
  const artifactSHA256 = new Set(artifacts.map((a) => a.digest['sha256']));
  const attributed = (i: number, result: Pick<BundleOutcome, 'verified' | 'failure'>): BundleOutcome => {
    const claim = claims[i];
    const claimed = claim?.subjects ?? [];
    const claimedType = claim?.predicateType === undefined ? {} : { claimedPredicateType: claim.predicateType };
    return { source: loaded[i]?.source ?? '', ...result, claimed, ...claimedType };
  };
  loaded.forEach((bundle, i) => {
    // Every source made its bundles with loadedJSON, which refuses JSON too deep to check.
    if (bundle.failure) {
      outcomes[i] = attributed(i, { verified: undefined, failure: bundle.failure });
    } else if (isBareEnvelope(bundle.json)) {
      const failure = {
        check: 'bundle-format' as const,
        expected: 'a Sigstore bundle, with the certificate and log entry that let it be verified offline',
        found:
          'a bare DSSE envelope (an .intoto.jsonl from slsa-github-generator before v2.1.0): its certificate and log entry are only in Rekor, and finding them needs an online Rekor search, which offline verification cannot do. ' +
          'Get a bundle instead: release with slsa-github-generator v2.1.0 or later (its .intoto.jsonl holds Sigstore bundles) or attest with this action or actions/attest; for an old release, slsa-verifier verify-artifact searches Rekor online',
      };
      outcomes[i] = attributed(i, { verified: undefined, failure });
    } else {
      const artifact = messageArtifact(bundle.json, artifactSHA256);
      const logged = bundle.loggedEnvelope === undefined ? {} : { loggedEnvelope: bundle.loggedEnvelope };
      jobs.push({
        bundle: bundle.json,
        options: { ...(key !== undefined && { key }), ...(artifact && { artifact }), ...logged },
      });
      jobBundles.push(i);
    }
  });
  const results = await runCryptoJobs(jobs, trust);
  results.forEach((result, j) => {
    const i = jobBundles[j] ?? 0;
    outcomes[i] = attributed(
      i,
      result.verified
        ? { verified: result.verified, failure: undefined }
        : { verified: undefined, failure: result.failure },
    );
  });
  return outcomes;
}

/**
 * A message signature is over one artifact's digest, which must be given to check it. The
 * artifact is found by the digest the bundle claims; the signature check then proves the claim.
 */
function messageArtifact(json: unknown, artifactSHA256: ReadonlySet<string | undefined>): ArtifactInput | undefined {
  const digest = (json as { messageSignature?: { messageDigest?: { digest?: unknown } } } | undefined)?.messageSignature
    ?.messageDigest?.digest;
  if (typeof digest !== 'string') return undefined;
  const hex = Buffer.from(digest, 'base64').toString('hex');
  return artifactSHA256.has(hex) ? { digest: { algorithm: 'sha256', hex } } : undefined;
}

const hasSubjectInputs = (s: VerifySettings): boolean =>
  [s.subjects.paths, s.subjects.digests, s.subjects.names, s.subjects.checksums].some((v) => v.trim() !== '');

/** `auto`: the tag of a release or tag-push run (only a location to read from: what is read is verified). */
function releaseTag(setting: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (setting !== 'auto') return setting;
  const ref = env['GITHUB_REF'] ?? '';
  return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
}

/** A named root as is; a file only inside the workspace (the conformance command alone takes any path). */
function trustedRootChoice(choice: string, workspace: string, roots: PathRoots): string {
  return NAMED_TRUSTED_ROOTS.includes(choice) ? choice : resolveInside('trusted-root', choice, workspace, roots);
}

/** The roots to verify against; one that is unusable ends the run in one line naming the field, before any bundle is read. */
async function trustedRoots(
  choice: string,
  workspace: string,
  roots: PathRoots,
  options: LoadOptions,
): Promise<TrustedRootJSON[]> {
  try {
    return await loadTrustedRoots(trustedRootChoice(choice, workspace, roots), workspace, options);
  } catch (err) {
    if (!(err instanceof VerificationError)) throw err;
    throw new ProvenanceError(
      'TRUSTED_ROOT_UNAVAILABLE',
      `trusted-root: ${choice} is not a usable trusted root: expected ${untrusted(err.failure.expected, FAILURE_FIELD_MAX)}, found ${untrusted(err.failure.found, FAILURE_FIELD_MAX)}`,
      'Use the trusted_root.json your Sigstore instance publishes, unedited (every key and certificate in it must say since when it is trusted), or public-good, public-good-offline, github or auto',
      { cause: err },
    );
  }
}

async function readKey(value: string, workspace: string, roots: PathRoots): Promise<string> {
  const file = resolveInside('key', value, workspace, roots);
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ProvenanceError(
      'INPUT_INVALID',
      `key: cannot read "${value}": ${reason}`,
      'Give the path of a PEM public key file inside the workspace',
    );
  }
}

/** The policy module reads the policy file through this, confined to the workspace unless `rules` lift that (the CLI). */
export function workspaceFileReader(
  workspace: string,
  rules: Pick<PathRules, 'confined'> = {},
): (file: string) => string {
  const roots = readRoots({ workspace, outputRoots: [], ...rules });
  return (file) => {
    const real = resolveInside('policy', file, workspace, roots);
    // Refused before it is read: parsePolicyFile would refuse the text anyway, after holding all of it.
    const { size } = statSync(real);
    if (size > MAX_POLICY_FILE_BYTES)
      throw new ProvenanceError(
        'INPUT_INVALID',
        `policy: ${file} is ${size} bytes, more than ${MAX_POLICY_FILE_BYTES}`,
        'Point the policy input at a policy file (a few rules), not at another file',
      );
    return readFileSync(real, 'utf8');
  };
}

export const DEFAULT_REPORT_NAME = 'provenance-verify.json';
export const defaultReportFile = (tempDir: string): string => path.join(tempDir, DEFAULT_REPORT_NAME);
