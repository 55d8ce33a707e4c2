// The policy as a report shows it: keyed by input names, defaults filled in, durations in the
// units people write, so a reader sees exactly which rules a verdict was reached under. Pure.

import { formatDuration } from './duration.ts';
import { DEFAULT_OIDC_ISSUER, DEFAULT_PREDICATE_TYPE, type Policy } from './policy.ts';

export function describePolicy(policy: Policy): Record<string, string | boolean | string[]> {
  const out: Record<string, string | boolean | string[]> = {
    'certificate-oidc-issuer': policy.certificateOidcIssuer ?? `${DEFAULT_OIDC_ISSUER} (default, certificate bundles)`,
    'predicate-type': policy.predicateType ?? `${DEFAULT_PREDICATE_TYPE} (default)`,
  };
  if (policy.repository !== undefined) out.repository = policy.repository;
  if (policy.owner !== undefined) out.owner = policy.owner;
  if (policy.signerWorkflow !== undefined) out['signer-workflow'] = [...policy.signerWorkflow];
  if (policy.signerRepository !== undefined) out['signer-repository'] = policy.signerRepository;
  if (policy.sourceRef !== undefined) out['source-ref'] = [...policy.sourceRef];
  if (policy.sourceDigest !== undefined) out['source-digest'] = policy.sourceDigest;
  if (policy.builderId !== undefined) out['builder-id'] = policy.builderId;
  if (policy.denySelfHostedRunners === true) out['deny-self-hosted-runners'] = true;
  if (policy.maxAge !== undefined) out['max-age'] = formatDuration(policy.maxAge);
  if (policy.certificateIdentity !== undefined) out['certificate-identity'] = policy.certificateIdentity;
  if (policy.certificateIdentityRegexp !== undefined)
    out['certificate-identity-regexp'] = policy.certificateIdentityRegexp;
  if (policy.cel !== undefined) out.cel = policy.cel.map((e) => e.text);
  if (policy.requireChain !== undefined) {
    delete out['predicate-type'];
    // Each stage as one line: its types, then every rule its attestation is held to.
    out['require-chain'] = policy.requireChain.map((stage) => {
      const rules = Object.entries(describePolicy(stage.policy))
        .filter(([name]) => name !== 'predicate-type')
        .flatMap(([name, value]) =>
          // Each expression quoted as the stage line takes it; other lists joined by commas.
          name === 'cel' && Array.isArray(value)
            ? value.map((e) => `cel="${e.replace(/[\\"]/g, (c) => `\\${c}`)}"`)
            : [`${name}=${Array.isArray(value) ? value.join(',') : String(value)}`],
        );
      const environments = stage.environments?.map((e) => `environment=${e}`) ?? [];
      return [stage.label, `(${stage.predicateTypes.join(' | ')})`, ...rules, ...environments].join(' ');
    });
  }
  return out;
}
