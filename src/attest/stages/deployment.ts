// The deployment stage: this artifact was deployed, where, when, by which run. in-toto has no
// vetted deployment predicate, so the predicate is ours (DEPLOYMENT_V1, defined in docs/chains.md).
//
// Where it went comes from two places. The GitHub deployment environment (`environment:` on the
// job) is read from the verified OIDC token, never from environment variables; a job without one
// is legitimate (a deployment to a cluster or URL the repository does not model as an
// environment), so its absence is recorded as `"environment": null`, not hidden. The target (a
// URL, or a cluster and namespace) comes from the deployment-target and deployment-namespace
// inputs, checked here before anything is signed. A deployment naming neither says nothing about
// where the artifact went, and is refused. Links to the approval, or to the gate's own VSA, are
// added by the links input (LINKS_FIELD), as for every other stage. Pure.

import { ProvenanceError } from '../../common/errors.ts';
import { DEPLOYMENT_V1 } from '../../stages/presets.ts';
import { quote, runURL } from './checks.ts';
import type { StageContext, StagePredicate } from './stage.types.ts';

/** Where an artifact was deployed, as the inputs gave it: a URL, or a cluster and/or namespace. */
export type DeploymentTarget = { url: string } | { cluster?: string; namespace?: string };

/** Long enough for any real URL (browsers and proxies commonly stop near 2,000 characters). */
export const MAX_TARGET_URL = 2048;
/** A DNS name's limit; cluster names (EKS ARNs, GKE contexts, AKS names) stay well under it. */
export const MAX_CLUSTER_NAME = 253;
/** A Kubernetes namespace is an RFC 1123 label: at most 63 characters. */
export const MAX_NAMESPACE = 63;

const CLUSTER = /^[A-Za-z0-9][A-Za-z0-9._:/@-]*$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

const TARGET_HINT =
  'Set deployment-target to the URL the artifact serves at (https://…) or to the cluster name (e.g. prod-eu-1 or an EKS cluster ARN)';

/**
 * The deployment target from the deployment-target and deployment-namespace inputs, or undefined
 * when both are empty. A value with "://" is a URL and must be http(s) without credentials (the
 * predicate is public in the transparency log); any other value is a cluster name.
 */
export function deploymentTarget(rawTarget: string, rawNamespace: string): DeploymentTarget | undefined {
  const target = rawTarget.trim();
  const namespace = rawNamespace.trim();
  if (namespace !== '') checkNamespace(namespace);
  if (target === '') return namespace === '' ? undefined : { namespace };
  if (target.includes('://')) {
    checkURL(target);
    if (namespace !== '')
      throw new ProvenanceError(
        'INPUT_CONFLICT',
        `deployment-namespace "${namespace}" is set, but deployment-target is a URL`,
        'A namespace belongs to a cluster: give the cluster name as deployment-target, or drop deployment-namespace',
      );
    return { url: target };
  }
  checkCluster(target);
  return namespace === '' ? { cluster: target } : { cluster: target, namespace };
}

function checkURL(url: string): void {
  const refuse = (why: string, hint = TARGET_HINT): never => {
    throw new ProvenanceError('INPUT_INVALID', `deployment-target: ${quote(url)} ${why}`, hint);
  };
  if (url.length > MAX_TARGET_URL) refuse(`is ${url.length} characters long, more than ${MAX_TARGET_URL}`);
  if (/[\p{Cc}\s]/u.test(url)) refuse('contains white space or a control character');
  if (!URL.canParse(url)) refuse('is not a URL');
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') refuse('is not an http or https URL');
  if (parsed.username !== '' || parsed.password !== '') {
    // Named without them: the message goes to the log, and the credentials must not.
    parsed.username = '';
    parsed.password = '';
    throw new ProvenanceError(
      'INPUT_INVALID',
      `deployment-target: the URL ${quote(parsed.href)} holds a user name or password`,
      'Remove the credentials from the URL: the deployment attestation is public in the transparency log',
    );
  }
}

function checkCluster(name: string): void {
  if (name.length > MAX_CLUSTER_NAME)
    throw new ProvenanceError(
      'INPUT_INVALID',
      `deployment-target: the cluster name is ${name.length} characters long, more than ${MAX_CLUSTER_NAME}`,
      TARGET_HINT,
    );
  if (!CLUSTER.test(name))
    throw new ProvenanceError(
      'INPUT_INVALID',
      `deployment-target: ${quote(name)} is neither an http(s) URL nor a cluster name (letters, digits and . _ : / @ -, starting with a letter or digit)`,
      TARGET_HINT,
    );
}

function checkNamespace(namespace: string): void {
  if (namespace.length > MAX_NAMESPACE || !NAMESPACE.test(namespace))
    throw new ProvenanceError(
      'INPUT_INVALID',
      `deployment-namespace: ${quote(namespace)} is not a Kubernetes namespace name (lowercase letters, digits and -, at most ${MAX_NAMESPACE} characters, starting and ending with a letter or digit)`,
      'Give the namespace the artifact was deployed to, e.g. shop-prod',
    );
}

/**
 * The deployment predicate. `document` must be undefined: everything it records comes from the
 * verified token, the inputs and the clock, so there is nothing a file could add.
 */
export function deploymentPredicate(
  document: object | undefined,
  origin: string,
  target: DeploymentTarget | undefined,
  ctx: StageContext,
): StagePredicate {
  if (document !== undefined)
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      `stage "deployment" takes no document, but ${origin} was given`,
      'Drop predicate-path (or predicate): the deployment is recorded from the job (environment, run) and the deployment-target and deployment-namespace inputs',
    );
  const environment = ctx.github?.environment;
  if (environment === undefined && target === undefined)
    throw new ProvenanceError(
      'INPUT_CONFLICT',
      'stage "deployment" says where the artifact went, but the job has no deployment environment and deployment-target is empty',
      'Run the job with "environment: NAME", or set deployment-target (a URL or a cluster name)',
    );
  const predicate: Record<string, unknown> = {
    // Recorded as null, not left out, so a reader sees the job had none (rather than that we did not look).
    environment: environment ?? null,
    ...(target !== undefined && { target }),
    timestamp: ctx.now.toISOString(),
  };
  const warnings: string[] = [];
  if (ctx.github === undefined) {
    warnings.push(
      'deployment: the signing identity is not a GitHub Actions job, so the run, the actor and the environment are not recorded',
    );
  } else {
    predicate['runURL'] = runURL(ctx.github);
    if (ctx.github.actor !== undefined) predicate['actor'] = ctx.github.actor;
  }
  return { predicateType: DEPLOYMENT_V1, predicate, warnings };
}
