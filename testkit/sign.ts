// Signs any in-toto statement against the local stack with the sigstore-js client: what tests
// need to make bundles attest mode never would (forged predicates, other workflows, tampering).
// The provenance helper builds exactly the predicate attest mode emits for the issuer's claims.

import { bundleToJSON, type SerializedBundle } from '@sigstore/bundle';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, TSAWitness, type Witness } from '@sigstore/sign';
import { githubClaimsFrom } from '../src/attest/context/claims.ts';
import { githubWorkflowPredicate, SLSA_PROVENANCE_V1 } from '../src/attest/provenance/predicate.ts';
import type { LocalServices } from './index.ts';
import type { ClaimOverrides } from './oidc-issuer.ts';

export interface SignWith {
  witnesses?: readonly ('rekor' | 'tsa')[]; // default: rekor
  claims?: ClaimOverrides; // the signer's token claims, over the issuer's current ones
}

export async function signStatement(
  services: LocalServices,
  statement: object,
  options: SignWith = {},
): Promise<SerializedBundle> {
  const { sigstore, issuer } = services;
  const witnesses: Witness[] = (options.witnesses ?? ['rekor']).map((w) =>
    w === 'rekor'
      ? new RekorWitness({ rekorBaseURL: sigstore.rekorURL, fetchOnConflict: true })
      : new TSAWitness({ tsaBaseURL: sigstore.tsaURL }),
  );
  const signer = new FulcioSigner({
    fulcioBaseURL: sigstore.fulcioURL,
    identityProvider: { getToken: () => issuer.mint(options.claims ?? {}, 'sigstore') },
  });
  const bundle = await new DSSEBundleBuilder({ signer, witnesses }).create({
    data: Buffer.from(JSON.stringify(statement)),
    type: 'application/vnd.in-toto+json',
  });
  // Through JSON text, as a bundle travels in a file.
  return JSON.parse(JSON.stringify(bundleToJSON(bundle))) as SerializedBundle;
}

/** The statement attest mode would make for these subjects under the issuer's claims (plus overrides). */
export function provenanceStatement(
  services: LocalServices,
  subjects: { name: string; digest: Record<string, string> }[],
  claims: ClaimOverrides = {},
): object {
  const merged = { ...services.issuer.claims, ...claims } as Record<string, unknown>;
  return {
    _type: 'https://in-toto.io/Statement/v1',
    subject: subjects,
    predicateType: SLSA_PROVENANCE_V1,
    predicate: githubWorkflowPredicate({
      claims: githubClaimsFrom(merged),
      serverURL: 'https://github.com',
      dispatchInputs: undefined,
    }),
  };
}
