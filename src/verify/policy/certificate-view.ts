// Reading a Fulcio certificate's GitHub facts the way both the policy rules and the predicate
// checks need them: URIs split into owner, repository, workflow path and ref; which era of
// extensions the certificate belongs to; and the build signer, with the one fallback we allow
// for certificates older than the v2 extensions. Pure; a value we cannot parse is undefined, and
// an undefined fact never satisfies a rule.

import type { CertificateFacts } from '../types.ts';
import { DEFAULT_OIDC_ISSUER } from './policy.ts';

export interface RepositoryName {
  host: string;
  owner: string;
  repo: string;
}

export interface WorkflowName extends RepositoryName {
  path: string;
  ref: string; // refs/... or a commit SHA
}

/** `https://HOST/OWNER/REPO` (the Source Repository URI). */
export function parseRepositoryURI(uri: string | undefined): RepositoryName | undefined {
  const m = uri === undefined ? null : /^https?:\/\/([^/@\s]+)\/([^/\s]+)\/([^/\s]+)$/.exec(uri);
  return m ? { host: m[1] ?? '', owner: m[2] ?? '', repo: m[3] ?? '' } : undefined;
}

/**
 * `https://HOST/OWNER/REPO/PATH@REF` (Build Signer URI, Build Config URI, a GitHub SAN). The ref
 * starts at the first `@` after the repository: GitHub's own tooling splits job_workflow_ref
 * the same way, and a workflow path holding `@` then simply fails to match (fail closed).
 */
export function parseWorkflowURI(uri: string | undefined): WorkflowName | undefined {
  const m = uri === undefined ? null : /^https?:\/\/([^/@\s]+)\/([^/@\s]+)\/([^/@\s]+)\/([^@\s]+)@(\S+)$/.exec(uri);
  return m ? { host: m[1] ?? '', owner: m[2] ?? '', repo: m[3] ?? '', path: m[4] ?? '', ref: m[5] ?? '' } : undefined;
}

/** `https://HOST/OWNER/REPO/actions/runs/<id>/attempts/<n>` (the Run Invocation URI). */
export function parseRunInvocationURI(uri: string | undefined): { id: string; attempt: string } | undefined {
  const m =
    uri === undefined
      ? null
      : /^https?:\/\/[^/\s]+\/[^/\s]+\/[^/\s]+\/actions\/runs\/(\d+)\/attempts\/(\d+)$/.exec(uri);
  return m ? { id: m[1] ?? '', attempt: m[2] ?? '' } : undefined;
}

/**
 * The workflow path inside the source repository, from the Build Config URI. The ref is removed
 * as the known suffix `@<source ref>` when it is one (refs may hold `@`, e.g. changesets tags),
 * otherwise at the first `@`.
 */
export function buildConfigPath(facts: CertificateFacts): string | undefined {
  const m =
    facts.buildConfigURI === undefined
      ? null
      : /^https?:\/\/[^/@\s]+\/[^/@\s]+\/[^/@\s]+\/(\S+)$/.exec(facts.buildConfigURI);
  const rest = m?.[1];
  if (rest === undefined) return undefined;
  const ref = facts.sourceRepositoryRef;
  if (ref !== undefined && rest.endsWith(`@${ref}`) && rest.length > ref.length + 1)
    return rest.slice(0, rest.length - ref.length - 1);
  const at = rest.indexOf('@');
  return at > 0 ? rest.slice(0, at) : undefined;
}

/**
 * Whether the certificate carries the v2 extensions (.9 to .21). Fulcio added them together in
 * 2023 and fills every one of them from a GitHub Actions token, so a certificate with any of them
 * is expected to have all. Source repository, digest, ref and trigger are left out of the test
 * because CertificateFacts fills them from the legacy .5, .3, .6 and .2 too.
 */
export function hasV2Extensions(facts: CertificateFacts): boolean {
  return [
    facts.buildSignerURI,
    facts.buildSignerDigest,
    facts.runnerEnvironment,
    facts.sourceRepositoryIdentifier,
    facts.sourceRepositoryOwnerURI,
    facts.sourceRepositoryOwnerIdentifier,
    facts.buildConfigURI,
    facts.buildConfigDigest,
    facts.runInvocationURI,
  ].some((v) => v !== undefined);
}

/**
 * The build signer URI. A legacy certificate (GitHub issuer, no v2 extensions) has no .9, but
 * Fulcio set its SAN from the same job_workflow_ref, so the SAN stands in for it there, and only
 * there: with v2 extensions present, a missing .9 stays missing.
 */
export function signerURIOf(facts: CertificateFacts): string | undefined {
  if (facts.buildSignerURI !== undefined) return facts.buildSignerURI;
  if (hasV2Extensions(facts) || facts.issuer !== DEFAULT_OIDC_ISSUER) return undefined;
  return parseWorkflowURI(facts.subjectAlternativeName) ? facts.subjectAlternativeName : undefined;
}

/** The owner's login: from the Owner URI, else from the Source Repository URI. */
export function ownerNameOf(facts: CertificateFacts): string | undefined {
  const m =
    facts.sourceRepositoryOwnerURI === undefined
      ? null
      : /^https?:\/\/[^/@\s]+\/([^/\s]+)$/.exec(facts.sourceRepositoryOwnerURI);
  return m?.[1] ?? parseRepositoryURI(facts.sourceRepositoryURI)?.owner;
}

/** GitHub compares owner and repository names without regard to case. */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
