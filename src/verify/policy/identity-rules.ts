// The rules about who signed and from what source, judged on the certificate alone (never on the
// predicate, which the signer wrote). Each given rule that does not hold is one failure with the
// policy's value as expected and the certificate's as found. A bundle signed with a managed key
// has no certificate: every identity rule given fails with found "(absent)".

import type { CertificateFacts, CheckFailure, CheckName } from '../types.ts';
import { ABSENT } from './agreement/field-check.ts';
import {
  ownerNameOf,
  parseRepositoryURI,
  parseWorkflowURI,
  sameName,
  signerURIOf,
  type WorkflowName,
} from './certificate-view.ts';
import { DEFAULT_OIDC_ISSUER, namesSigner, type Policy } from './policy.ts';
import { refPatternMatches } from './ref-glob.ts';
import { anchored } from './rule-values.ts';
import { openSourceFailures } from './source-rules.ts';

const SIGNER_RULES =
  'repository, owner, signer-workflow, signer-repository, builder-id, certificate-identity or certificate-identity-regexp';

export function identityFailures(policy: Policy, cert: CertificateFacts | undefined): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const fail = (check: CheckName, expected: string, found: string | undefined): void => {
    failures.push({ check, expected, found: found ?? ABSENT });
  };
  const san = cert?.subjectAlternativeName;
  const signerURI = cert && signerURIOf(cert);
  const signer = parseWorkflowURI(signerURI);

  // The default issuer applies to certificates only: a key-signed bundle has no issuer to check.
  const issuer = policy.certificateOidcIssuer ?? (cert ? DEFAULT_OIDC_ISSUER : undefined);
  if (issuer !== undefined && cert?.issuer !== issuer) fail('certificate-oidc-issuer', issuer, cert?.issuer);

  if (cert && !namesSigner(policy)) fail('certificate-identity', `a rule naming the signer: ${SIGNER_RULES}`, san);
  if (policy.certificateIdentity !== undefined && san !== policy.certificateIdentity) {
    fail('certificate-identity', policy.certificateIdentity, san);
  }
  if (
    policy.certificateIdentityRegexp !== undefined &&
    !(san !== undefined && wholeMatch(policy.certificateIdentityRegexp, san))
  ) {
    fail('certificate-identity', `a SAN matching ${anchored(policy.certificateIdentityRegexp)}`, san);
  }

  if (policy.repository !== undefined) {
    const repo = parseRepositoryURI(cert?.sourceRepositoryURI);
    if (!repo || !sameName(`${repo.owner}/${repo.repo}`, policy.repository))
      fail('repository', policy.repository, cert?.sourceRepositoryURI);
  }
  if (policy.owner !== undefined) {
    const owner = cert && ownerNameOf(cert);
    if (owner === undefined || !sameName(owner, policy.owner))
      fail('owner', policy.owner, cert?.sourceRepositoryOwnerURI ?? cert?.sourceRepositoryURI);
  }
  if (
    policy.signerWorkflow !== undefined &&
    !(signer && policy.signerWorkflow.some((w) => workflowMatches(w, signer, cert?.buildSignerDigest)))
  ) {
    fail('signer-workflow', policy.signerWorkflow.join(' or '), signerURI);
  }
  if (
    policy.signerRepository !== undefined &&
    !(signer && sameName(`${signer.owner}/${signer.repo}`, policy.signerRepository))
  ) {
    fail('signer-repository', policy.signerRepository, signerURI);
  }
  if (policy.sourceRef !== undefined) {
    const ref = cert?.sourceRepositoryRef;
    if (ref === undefined || !policy.sourceRef.some((p) => refPatternMatches(p, ref)))
      fail('source-ref', policy.sourceRef.join(' or '), ref);
  }
  if (policy.sourceDigest !== undefined && cert?.sourceRepositoryDigest?.toLowerCase() !== policy.sourceDigest) {
    fail('source-digest', policy.sourceDigest, cert?.sourceRepositoryDigest);
  }
  if (policy.builderId !== undefined) {
    const builder = parseWorkflowURI(policy.builderId);
    const bySha = builder !== undefined && /^[0-9a-f]{40}$/.test(builder.ref);
    if (!(builder && signer && builderMatches(builder, signer, bySha ? cert?.buildSignerDigest : undefined))) {
      const digest = bySha && signerURI !== undefined ? ` (digest ${cert?.buildSignerDigest ?? ABSENT})` : '';
      fail('builder-id', policy.builderId, signerURI === undefined ? undefined : `${signerURI}${digest}`);
    }
  }
  // Signer rules without repository or owner: the source must still be pinned (source-rules.ts).
  if (cert) failures.push(...openSourceFailures(policy, cert));
  if (policy.denySelfHostedRunners === true && cert?.runnerEnvironment !== 'github-hosted') {
    fail('runner-environment', 'github-hosted', cert?.runnerEnvironment);
  }
  return failures;
}

function wholeMatch(regexp: string, text: string): boolean {
  try {
    return new RegExp(anchored(regexp), 'u').test(text);
  } catch {
    return false; // an invalid pattern (from a Policy built in code) matches nothing
  }
}

/**
 * `OWNER/REPO/PATH` or `OWNER/REPO/PATH@REF`, against the whole signer: never a prefix. A REF of 40 hex
 * digits is a commit: it matches a signer called at that commit, or one whose Build Signer Digest (.10) it
 * is, as `builder-id` does, so a policy can pin the commit a caller reached through a tag.
 */
export function workflowMatches(pattern: string, signer: WorkflowName, signerDigest?: string): boolean {
  const at = pattern.indexOf('@');
  const name = at === -1 ? pattern : pattern.slice(0, at);
  const ref = at === -1 ? undefined : pattern.slice(at + 1);
  const [owner = '', repo = '', ...path] = name.split('/');
  const commit = ref !== undefined && /^[0-9a-f]{40}$/.test(ref) && signerDigest?.toLowerCase() === ref;
  return (
    sameName(owner, signer.owner) &&
    sameName(repo, signer.repo) &&
    path.join('/') === signer.path &&
    (ref === undefined || ref === signer.ref || commit)
  );
}

/** Pinned by ref: the signer's ref is that ref. Pinned by commit: the signer digest is that commit. */
export function builderMatches(builder: WorkflowName, signer: WorkflowName, signerDigest: string | undefined): boolean {
  const sameWorkflow =
    sameName(builder.host, signer.host) &&
    sameName(builder.owner, signer.owner) &&
    sameName(builder.repo, signer.repo) &&
    builder.path === signer.path;
  return (
    sameWorkflow &&
    (builder.ref === signer.ref || (signerDigest !== undefined && signerDigest.toLowerCase() === builder.ref))
  );
}
