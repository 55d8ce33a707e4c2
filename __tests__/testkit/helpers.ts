// Shared steps for the testkit's own tests: sign an in-toto statement against a local stack with the
// sigstore-js client, and verify the resulting bundle with @sigstore/verify, the way users' tools do.
import { bundleFromJSON, bundleToJSON } from '@sigstore/bundle';
import type { SerializedBundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { DSSEBundleBuilder, FulcioSigner, RekorWitness, TSAWitness } from '@sigstore/sign';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import type { Signer } from '@sigstore/verify';
import type { OidcIssuer, SigstoreStack, TrustedRootJSON } from '../../testkit/index.ts';

export const STATEMENT = {
  _type: 'https://in-toto.io/Statement/v1',
  subject: [{ name: 'octo-repo-1.2.0.tar.gz', digest: { sha256: 'a'.repeat(64) } }],
  predicateType: 'https://slsa.dev/provenance/v1',
  predicate: { buildDefinition: { buildType: 'https://actions.github.io/buildtypes/workflow/v1' } },
};

// Fast retries so fault tests do not wait the client's default back-off (1 s, 2 s, ...).
export const quickRetry = (retries: number): object => ({ retries, factor: 1, minTimeout: 5, maxTimeout: 5 });

export interface SignOptions {
  witness: 'rekor' | 'tsa';
  fulcioRetry?: object;
  witnessRetry?: object;
  statement?: object;
}

export async function signStatement(
  stack: SigstoreStack,
  issuer: OidcIssuer,
  options: SignOptions,
): Promise<SerializedBundle> {
  const signer = new FulcioSigner({
    fulcioBaseURL: stack.fulcioURL,
    identityProvider: { getToken: () => issuer.mint({}, 'sigstore') },
    ...(options.fulcioRetry ? { retry: options.fulcioRetry } : {}),
  });
  const retry = options.witnessRetry ? { retry: options.witnessRetry } : {};
  const witness =
    options.witness === 'rekor'
      ? new RekorWitness({ rekorBaseURL: stack.rekorURL, fetchOnConflict: true, ...retry })
      : new TSAWitness({ tsaBaseURL: stack.tsaURL, ...retry });
  const bundle = await new DSSEBundleBuilder({ signer, witnesses: [witness] }).create({
    data: Buffer.from(JSON.stringify(options.statement ?? STATEMENT)),
    type: 'application/vnd.in-toto+json',
  });
  // Through JSON text, as the bundle would travel in a .sigstore.json file.
  return JSON.parse(JSON.stringify(bundleToJSON(bundle))) as SerializedBundle;
}

export function expectedSAN(issuer: OidcIssuer): string {
  return `https://github.com/${String(issuer.claims.job_workflow_ref)}`;
}

export function verifyBundle(
  bundle: SerializedBundle,
  trustedRoot: TrustedRootJSON,
  issuer: OidcIssuer,
  tlog: boolean,
): Signer {
  const trust = toTrustMaterial(TrustedRoot.fromJSON(JSON.parse(JSON.stringify(trustedRoot))));
  const verifier = new Verifier(trust, { tlogThreshold: tlog ? 1 : 0, ctlogThreshold: 1, timestampThreshold: 1 });
  return verifier.verify(toSignedEntity(bundleFromJSON(bundle)), {
    subjectAlternativeName: expectedSAN(issuer),
    extensions: { issuer: issuer.issuer },
  });
}
