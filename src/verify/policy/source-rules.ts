// Signer rules that leave the source open (issue #14, item 3). A workflow can be called from any
// repository (a reusable workflow: `on: workflow_call`), and its certificate then names the
// caller as the source. builder-id, signer-repository and signer-workflow say which workflow
// signed, not which repository was built, so on their own they accept provenance that evil/app
// built through the same workflow. gh attestation verify and slsa-verifier always require the
// source (--repo / --owner, --source-uri); this module holds the same line:
//
// - builder-id or signer-repository without repository or owner: the policy is refused before
//   any bundle is read. Both exist for workflows in another repository than the source.
// - signer-workflow without repository or owner: accepted, read as "this workflow, in its own
//   repository": the certificate's source repository must be the signer workflow's. That is the
//   usual release workflow, and a caller from another repository fails (check "repository").
//
// certificate-identity and certificate-identity-regexp are left as they are: they are the rules
// for every OIDC issuer, and pin the exact identity the user chose.

import { ProvenanceError } from '../../common/errors.ts';
import type { CertificateFacts, CheckFailure } from '../types.ts';
import { ABSENT } from './agreement/field-check.ts';
import { parseRepositoryURI, parseWorkflowURI, sameName, signerURIOf } from './certificate-view.ts';
import type { Policy } from './policy.ts';

const hasSourceRule = (policy: Policy): boolean => policy.repository !== undefined || policy.owner !== undefined;

/** The rule (input name) that pins a workflow in another repository without the source, if any. */
function openSourceRule(policy: Policy): { name: string; value: string } | undefined {
  if (hasSourceRule(policy)) return undefined;
  if (policy.builderId !== undefined) return { name: 'builder-id', value: policy.builderId };
  if (policy.signerRepository !== undefined) return { name: 'signer-repository', value: policy.signerRepository };
  return undefined;
}

/** Refuses a policy whose signer rules leave the source open; `where` names it ("verify mode", a chain stage). */
export function requireSourceRule(policy: Policy, where: string): void {
  const open = openSourceRule(policy);
  if (open === undefined) return;
  throw new ProvenanceError(
    'INPUT_CONFLICT',
    `${where}: ${open.name} "${open.value}" names the workflow that signs, not the repository it builds, and neither repository nor owner is set, so provenance built by any repository that calls that workflow would pass`,
    `Add "repository: OWNER/REPO" (or "owner: OWNER") for the source you deploy, as gh attestation verify requires --repo or --owner`,
  );
}

/**
 * The source failures of a policy without repository or owner, judged on the certificate (fail
 * closed for a Policy built in code, which requireSourceRule never saw).
 */
export function openSourceFailures(policy: Policy, cert: CertificateFacts | undefined): CheckFailure[] {
  if (hasSourceRule(policy)) return [];
  const open = openSourceRule(policy);
  if (open !== undefined) {
    return [
      {
        check: 'repository',
        expected: `a repository or owner rule beside ${open.name} (which alone accepts any repository calling the workflow)`,
        found: cert?.sourceRepositoryURI ?? ABSENT,
      },
    ];
  }
  if (policy.signerWorkflow === undefined) return [];
  // signer-workflow alone: the workflow in its own repository.
  const signer = parseWorkflowURI(cert && signerURIOf(cert));
  const source = parseRepositoryURI(cert?.sourceRepositoryURI);
  if (
    signer !== undefined &&
    source !== undefined &&
    sameName(`${source.owner}/${source.repo}`, `${signer.owner}/${signer.repo}`)
  )
    return [];
  const own =
    signer === undefined
      ? "the signer workflow's own repository"
      : `${signer.owner}/${signer.repo}, the signer workflow's own repository`;
  return [
    {
      check: 'repository',
      expected: `${own} (signer-workflow without repository or owner accepts no caller from another repository; set repository or owner to allow one)`,
      found: cert?.sourceRepositoryURI ?? ABSENT,
    },
  ];
}
