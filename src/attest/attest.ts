// Attest mode, start to finish: inputs → identity → subjects → predicate → statements → signed
// bundles, staged next to their file. Side effects are limited to the network calls of signing and
// that staged write, which the caller commits (renames into place) once publishing has succeeded, or
// discards: a run that fails anywhere leaves no bundle file behind.

import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { SerializedBundle } from '@sigstore/bundle';
import { githubClaimsFrom } from './context/claims.ts';
import { dispatchInputs } from './context/event.ts';
import { jobIdentityProvider } from './context/identity.ts';
import { requestToken, verifyToken, type IdentityToken } from './context/token.ts';
import { ProvenanceError } from '../common/errors.ts';
import type { Runtime } from '../common/runtime.ts';
import type { AttestSettings, PredicateSource } from './settings.ts';
import type { InstanceChoice, SigstoreSetting } from '../inputs/read.ts';
import { bundleFacts } from './bundle-facts.ts';
import { stageFileAtomic, type StagedFile } from '../common/atomic-write.ts';
import { bundleTarget, serializeBundles } from './bundle-files.ts';
import { untrusted } from '../output/untrusted.ts';
import { checkWritable } from './writable.ts';
import { checkPublishing } from './publish/preflight.ts';
import type { AttestReport } from './summary.ts';
import { parseDocument, parsePredicate, readPredicateFile } from './provenance/custom-predicate.ts';
import { assertEventSupported, githubWorkflowPredicate, SLSA_PROVENANCE_V1 } from './provenance/predicate.ts';
import { buildStatements, statementBytes, type Statement } from './provenance/statement.ts';
import {
  MAX_SIGNING_CONFIG_BYTES,
  planForChoice,
  planFromSigningConfig,
  type SigningPlan,
} from './signing/instance.ts';
import { sigstoreSigner, type StatementSigner } from './signing/signer.ts';
import { stagePredicate, type StageContext } from './stages/index.ts';
import { sourcePredicate, type SourceAttestation } from './stages/source.ts';
import { createSourceReader, gitHubEndpoints } from '../github/index.ts';
import { withLinks, type LinkTarget } from '../stages/links.ts';
import { collectSubjects, progressLine, type Progress, type Subject } from '../subjects/index.ts';
import { readRoots, resolveInside, writeRoots, type PathRules } from '../common/workspace.ts';

export interface AttestOutcome {
  /** Source repository and ref of the verified GitHub identity (undefined for other identities). */
  repository: string | undefined;
  ref: string | undefined;
  bundleFile: string;
  /** The bundle file's content, staged beside it: `commit` puts it in place, `discard` drops it. */
  bundleText: string;
  staged: StagedFile;
  bundles: SerializedBundle[];
  /** The Fulcio that issued the bundles' certificates: a stored copy of ours must come from its CA. */
  fulcioURL: string;
  statementDigests: string[]; // sha256:<hex> of each signed statement
  report: AttestReport;
}

/** The job identity, the chosen Sigstore instance and a signer: what signing any statement needs. */
export interface SigningSession {
  token: IdentityToken;
  plan: SigningPlan;
  signer: StatementSigner;
}

export async function openSigningSession(setting: SigstoreSetting, rt: Runtime): Promise<SigningSession> {
  // A SigningConfig is read and checked before the token is requested: one naming a service the
  // token must not be sent to (plain http off loopback) ends the run with no token in hand.
  const planFor = await signingPlanner(setting, rt);
  // The token is never logged, so it is not passed to add-mask either (that would print it).
  const token = await verifyToken(await requestToken(rt.env), rt.env);
  const plan = planFor(token);
  const identity = jobIdentityProvider(token, rt.env);
  return { token, plan, signer: sigstoreSigner(plan, identity) };
}

/** Signs each statement; returns the bundles and the sha256 of each signed statement, in order. */
export async function signStatements(
  session: SigningSession,
  statements: readonly Statement[],
): Promise<{ bundles: SerializedBundle[]; digests: string[] }> {
  const bundles: SerializedBundle[] = [];
  const digests: string[] = [];
  for (const statement of statements) {
    const payload = statementBytes(statement);
    digests.push(`sha256:${createHash('sha256').update(payload).digest('hex')}`);
    bundles.push(await session.signer.sign(payload));
  }
  return { bundles, digests };
}

export async function attest(settings: AttestSettings, rt: Runtime): Promise<AttestOutcome> {
  // Subjects from a workflow artifact need the job's artifact runtime: outside a job, fail before any token.
  if (settings.subjects.artifact !== undefined)
    (await import('../github/workflow-artifacts.ts')).requireArtifactRuntime(rt.env);
  // Documents are read and parsed before any token is requested, so a bad file fails first.
  const custom = await customPredicate(settings.predicate, rt);
  const stageDocument =
    settings.predicate.kind === 'stage' ? await readStageDocument(settings.predicate.document, rt) : undefined;
  const session = await openSigningSession(settings.sigstore, rt);
  const { token, plan } = session;
  const stage = settings.predicate.kind === 'stage' ? settings.predicate.stage : undefined;
  // The source stage reads GitHub with the verified token's commit and ref: after the token, before signing.
  const source = stage === 'source' ? await sourceAttestation(token, settings.github.githubToken, rt) : undefined;
  const built =
    source ??
    (settings.predicate.kind === 'stage' && settings.predicate.stage !== 'source'
      ? stagePredicate(
          settings.predicate.stage,
          stageDocument?.value,
          stageDocument?.origin ?? 'the approval',
          stageContext(token, rt.now()),
          settings.predicate.target,
        )
      : undefined);
  const warnings = [...(built?.warnings ?? [])];
  const { predicateType, predicate } = built ?? custom ?? (await provenancePredicate(token, rt.env));
  const requestedBundlePath =
    settings.bundlePath === undefined
      ? undefined
      : resolveInside('bundle-path', settings.bundlePath, rt.workspace, writeRoots(rt));

  const onProgress = (p: Progress): void => rt.log.info(progressLine(p));
  const subjects: Subject[] =
    source !== undefined
      ? [source.subject]
      : settings.subjects.artifact !== undefined
        ? await (await import('./artifact-subjects.ts')).artifactSubjects(settings.subjects.artifact, rt, onProgress)
        : await collectSubjects(settings.subjects, { workspace: rt.workspace, confined: rt.confined, onProgress });
  const links = await attestLinks(settings, subjects, token, rt);
  // A deployment is the end of a chain: unlinked, require-chain cannot tell which approval or gate it followed.
  if (settings.predicate.kind === 'stage' && settings.predicate.stage === 'deployment' && links.length === 0)
    warnings.push(
      "deployment: links is empty, so this deployment names no approval or gate; a require-chain ending in deployment will report it unlinked. Set links to the approval or the gate's VSA bundle",
    );
  for (const warning of warnings) rt.log.warning(warning);
  const statements = buildStatements(
    subjects,
    predicateType,
    withLinks(predicateType, predicate as Record<string, unknown>, links),
  );

  // Every input is checked before anything irreversible: after this line a signature exists and,
  // on a public instance, a log entry no later failure can withdraw.
  const target = bundleTarget(
    requestedBundlePath,
    rt.temp === undefined ? rt.workspace : path.join(rt.temp, 'provenance'),
    subjects.map((s) => s.name),
    statements.length,
  );
  await checkWritable(target.file, settings.bundlePath === undefined ? 'bundle directory' : 'bundle-path');
  const identity = githubRun(token);
  await checkPublishing(settings, { ...identity, subjects }, rt.env);

  rt.log.info(
    `signing ${statements.length} statement(s) for ${subjects.length} subject(s) with Sigstore ${plan.instance} (${plan.fulcioURL})`,
  );
  const { bundles, digests: statementDigests } = await signStatements(session, statements);

  const bundleText = serializeBundles(bundles, target.format);
  const facts = bundles.map(bundleFacts);
  // Last: nothing after it may fail and leave the staged file behind (the caller commits or discards it).
  const staged = await stageFileAtomic(target.file, bundleText);

  const first = facts[0];
  return {
    ...identity,
    bundleFile: target.file,
    bundleText,
    staged,
    bundles,
    fulcioURL: plan.fulcioURL,
    statementDigests,
    report: {
      predicateType,
      subjects,
      statementCount: statements.length,
      bundleFile: target.file,
      signer: first?.signer,
      issuer: first?.issuer,
      instance: plan.instance,
      logEntries: facts.flatMap((f) => f.logIndexes).map((index) => ({ index, url: plan.searchURL?.(index) })),
      timestamps: facts.flatMap((f) => f.timestamps),
      links,
      warnings,
    },
  };
}

/** Source repository and ref of a verified GitHub identity (undefined for other identities). */
function githubRun(token: IdentityToken): { repository: string | undefined; ref: string | undefined } {
  const claim = (name: string): string | undefined =>
    token.github !== undefined && typeof token.payload[name] === 'string' ? token.payload[name] : undefined;
  return { repository: claim('repository'), ref: claim('ref') };
}

async function attestLinks(
  settings: AttestSettings,
  subjects: readonly Subject[],
  token: IdentityToken,
  rt: Runtime,
): Promise<LinkTarget[]> {
  if (settings.links.patterns === '' && !settings.links.published) return [];
  const { resolveLinks } = await import('./stages/link-sources.ts');
  const repository =
    token.github !== undefined && typeof token.payload['repository'] === 'string'
      ? token.payload['repository']
      : undefined;
  const release = settings.github.uploadToRelease === 'auto' ? autoReleaseTag(rt.env) : settings.github.uploadToRelease;
  const links = await resolveLinks(settings.links, subjects, {
    workspace: rt.workspace,
    confined: rt.confined,
    env: rt.env,
    repository,
    githubToken: settings.github.githubToken,
    release,
    imageNames: settings.subjects.names,
    log: rt.log,
  });
  rt.log.info(
    `linking ${links.length} attestation(s): ${links.map((l) => `${untrusted(l.source)} (${untrusted(l.predicateType)})`).join(', ')}`,
  );
  return links;
}

function autoReleaseTag(env: NodeJS.ProcessEnv): string | undefined {
  const ref = env['GITHUB_REF'] ?? '';
  return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : undefined;
}

/**
 * The source stage's VSA for the commit the verified token names: GitHub's branch rules, protection
 * and the merging pull request, read with github-token, mapped to a level (stages/source.ts).
 */
async function sourceAttestation(token: IdentityToken, githubToken: string, rt: Runtime): Promise<SourceAttestation> {
  if (token.github === undefined) {
    throw new ProvenanceError(
      'OIDC_TOKEN_INVALID',
      `stage: source needs a GitHub Actions identity (its subject is the job's commit), but the OIDC token was issued by ${typeof token.payload.iss === 'string' ? token.payload.iss : 'no issuer'}`,
      'Run the source step in a GitHub Actions job with "permissions: id-token: write"',
    );
  }
  const claims = githubClaimsFrom(token.payload);
  const reader = createSourceReader({ ...gitHubEndpoints(rt.env), token: githubToken, debug: (l) => rt.log.debug(l) });
  const reads = await reader.readSourceControls(claims.repository, claims.ref, claims.sha);
  const built = sourcePredicate(reads, {
    now: rt.now(),
    serverURL: token.github.serverURL,
    repository: claims.repository,
    ref: claims.ref,
    sha: claims.sha,
    verifierId: `${token.github.serverURL}/${claims.job_workflow_ref}`,
  });
  rt.log.info(
    `source: ${claims.repository}@${claims.sha} (${claims.ref}${reads.branch === undefined ? '' : `, branch ${untrusted(reads.branch)}`}): SLSA source level ${built.level}`,
  );
  return built;
}

/** What a stage preset may record about the job: from the verified token only, never from env. */
function stageContext(token: IdentityToken, now: Date): StageContext {
  const claim = (name: string): string | undefined => {
    const value = token.payload[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const repository = claim('repository');
  const runId = claim('run_id');
  const runAttempt = claim('run_attempt');
  return {
    now,
    github:
      token.github !== undefined && repository !== undefined && runId !== undefined && runAttempt !== undefined
        ? {
            serverURL: token.github.serverURL,
            repository,
            runId,
            runAttempt,
            actor: claim('actor'),
            environment: claim('environment'),
          }
        : undefined,
  };
}

/** A stage's document: JSON (an object, or a list for conftest's output), at most MAX_PREDICATE_BYTES. */
async function readStageDocument(
  document: { inline: string } | { path: string } | undefined,
  rules: PathRules,
): Promise<{ value: object; origin: string } | undefined> {
  if (document === undefined) return undefined;
  if ('inline' in document) return { value: parseDocument(document.inline, 'predicate'), origin: 'predicate' };
  return {
    value: await readPredicateFile(document.path, rules.workspace, { allowList: true, roots: readRoots(rules) }),
    origin: `predicate-path "${document.path}"`,
  };
}

async function customPredicate(
  source: PredicateSource,
  rules: PathRules,
): Promise<{ predicateType: string; predicate: object } | undefined> {
  switch (source.kind) {
    case 'provenance':
      return undefined;
    case 'inline':
      return { predicateType: source.type, predicate: parsePredicate(source.json, 'predicate') };
    case 'file':
      return {
        predicateType: source.type,
        predicate: await readPredicateFile(source.path, rules.workspace, { roots: readRoots(rules) }),
      };
    case 'stage':
      return undefined;
  }
}

async function provenancePredicate(
  token: IdentityToken,
  env: NodeJS.ProcessEnv,
): Promise<{ predicateType: string; predicate: object }> {
  if (!token.github) {
    throw new ProvenanceError(
      'OIDC_TOKEN_INVALID',
      `SLSA provenance needs a GitHub Actions identity, but the OIDC token was issued by ${typeof token.payload.iss === 'string' ? token.payload.iss : `no issuer (iss is ${typeof token.payload.iss})`}`,
      'Run the step in GitHub Actions, or set predicate-type to attest a predicate of your own with this identity',
    );
  }
  const claims = githubClaimsFrom(token.payload);
  assertEventSupported(claims.event_name);
  const predicate = githubWorkflowPredicate({
    claims,
    serverURL: token.github.serverURL,
    dispatchInputs: await dispatchInputs(claims, env),
  });
  return { predicateType: SLSA_PROVENANCE_V1, predicate };
}

/**
 * How the plan is made once the token is there: a SigningConfig is read and checked now, with no
 * token involved; a choice waits for the token, since `auto` follows its repository visibility.
 */
async function signingPlanner(
  setting: SigstoreSetting,
  rules: PathRules,
): Promise<(token: IdentityToken) => SigningPlan> {
  if (setting.kind === 'signing-config') {
    const plan = await signingConfigPlan(setting.path, rules);
    return () => plan;
  }
  return (token) => choicePlan(setting.choice, token);
}

/** The instance a `sigstore` choice names. */
function choicePlan(choice: InstanceChoice, token: IdentityToken): SigningPlan {
  if (choice === 'auto' && token.github === undefined) {
    // Only a verified GitHub job token says whether the repository is public; guessing "public"
    // would publish names in a permanent log, and GitHub's instance refuses other identities.
    throw new ProvenanceError(
      'SIGSTORE_CONFIG_INVALID',
      `sigstore: auto picks the instance from a GitHub Actions token's repository_visibility, but this identity was issued by ${typeof token.payload.iss === 'string' ? token.payload.iss : 'an unknown issuer'}`,
      'Set sigstore to public-good (the public log: everything signed is published) or to the SigningConfig .json of your own Sigstore instance',
    );
  }
  const visibility = token.payload['repository_visibility'];
  return planForChoice(choice, typeof visibility === 'string' ? visibility : undefined);
}

/** The instance a SigningConfig file describes, read and checked with no token involved. */
async function signingConfigPlan(configPath: string, rules: PathRules): Promise<SigningPlan> {
  const file = resolveInside('sigstore', configPath, rules.workspace, readRoots(rules));
  let json: unknown;
  try {
    const { size } = await stat(file);
    if (size > MAX_SIGNING_CONFIG_BYTES) throw new Error(`${size} bytes, more than ${MAX_SIGNING_CONFIG_BYTES}`);
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ProvenanceError(
      'SIGSTORE_CONFIG_INVALID',
      `sigstore: cannot read SigningConfig ${configPath}: ${reason}`,
      'Give the path of a SigningConfig JSON file inside the workspace',
    );
  }
  return planFromSigningConfig(json, path.basename(file));
}
