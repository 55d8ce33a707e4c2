// Sigstore bundles next to container images in OCI registries, behind one small interface: attest mode
// attaches, verify mode lists, and neither needs to know about HTTP, logins or registry quirks.
// `createBundleRegistry` wires the Docker credentials, the challenge answering and the retries.

import type { CopyCheck } from '../common/attestation-identity.ts';
import { ProvenanceError } from '../common/errors.ts';
import { DEFAULT_RETRY, type RetryPolicy } from '../http/retry.ts';
import { attachToImage, type AttachableBundle, type AttachResult } from './attach.ts';
import { Authenticator } from './auth.ts';
import { dockerCredentials, type CredentialStore } from './credentials.ts';
import { DEFAULT_FALLBACK_TIMING, type FallbackTiming } from './fallback-index.ts';
import { listAttachedBundles } from './list.ts';
import type { Descriptor } from './oci.ts';
import { formatReference, manifestReference, parseImageReference, type ImageReference } from './reference.ts';
import type { RegistryBundle } from './registry-bundle.ts';
import { ReadBudget } from './limits.ts';
import { RepositoryClient } from './repository.ts';
import { RegistryTransport } from './transport.ts';

export { parseImageReference, formatReference, type ImageReference } from './reference.ts';
export { dockerCredentials, type CredentialStore, type RegistryCredentials } from './credentials.ts';
export { MAX_BUNDLE_BYTES, MAX_MANIFEST_BYTES, MAX_REGISTRY_READ_BYTES } from './limits.ts';
export { SIGSTORE_BUNDLE_ARTIFACT } from './media-types.ts';
export type { AttachableBundle, AttachResult } from './attach.ts';
export type { FallbackTiming } from './fallback-index.ts';
export type { RegistryBundle } from './registry-bundle.ts';
export type { ReferrerSource } from './referrers.ts';

export interface BundleRegistry {
  /** The digest (`sha256:…`) of the image's manifest; a tag is resolved, a pinned digest checked. */
  resolveDigest(image: string | ImageReference): Promise<string>;
  /**
   * Pushes `bundle` as a referrer of the image; idempotent for the same bundle and predicate type, and
   * for a bundle with its statement that `isOurCopy` accepts (a re-run's).
   */
  attachBundle(
    image: string | ImageReference,
    bundle: AttachableBundle,
    predicateType: string,
    isOurCopy: CopyCheck,
  ): Promise<AttachResult>;
  /** Every Sigstore bundle (and cosign `.att` envelope) attached to the image. */
  listBundles(image: string | ImageReference, options?: { artifactType?: string }): Promise<RegistryBundle[]>;
}

export interface RegistryOptions {
  /** DOCKER_CONFIG, HOME, and the PATH credential helpers run with; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Instead of the Docker config file, e.g. in tests. */
  credentials?: CredentialStore;
  /** Told every secret we read or receive (logins, tokens), e.g. core.setSecret. */
  maskSecret?: (secret: string) => void;
  retry?: RetryPolicy;
  fallback?: FallbackTiming;
  now?: () => Date;
}

export function createBundleRegistry(options: RegistryOptions = {}): BundleRegistry {
  const retry = options.retry ?? DEFAULT_RETRY;
  const mask = options.maskSecret ?? (() => undefined);
  const auth = new Authenticator(options.credentials ?? dockerCredentials(options.env, mask), retry, mask);
  // One budget for everything this client reads, whichever images and registries: see MAX_REGISTRY_READ_BYTES.
  const budget = new ReadBudget();
  const repository = (ref: ImageReference, push: boolean): RepositoryClient =>
    new RepositoryClient(
      new RegistryTransport(ref.registry, { repository: ref.repository, push }, auth, retry),
      budget,
    );
  const parse = (image: string | ImageReference): ImageReference =>
    typeof image === 'string' ? parseImageReference(image) : image;

  return {
    async resolveDigest(image) {
      const ref = parse(image);
      return (await imageDescriptor(repository(ref, false), ref)).digest;
    },
    async attachBundle(image, bundle, predicateType, isOurCopy) {
      const ref = parse(image);
      const repo = repository(ref, true);
      const subject = await imageDescriptor(repo, ref);
      return attachToImage(repo, subject, bundle, predicateType, {
        retry,
        isOurCopy,
        fallback: options.fallback ?? DEFAULT_FALLBACK_TIMING,
        now: options.now ?? (() => new Date()),
      });
    },
    async listBundles(image, listOptions = {}) {
      const ref = parse(image);
      const repo = repository(ref, false);
      const subject = await imageDescriptor(repo, ref);
      return listAttachedBundles(repo, subject.digest, listOptions.artifactType);
    },
  };
}

async function imageDescriptor(repo: RepositoryClient, ref: ImageReference): Promise<Descriptor> {
  const reference = manifestReference(ref);
  const found = await repo.headManifest(reference);
  if (found === undefined) {
    throw new ProvenanceError(
      'REGISTRY_FAILED',
      `registry ${ref.registry} failed: HEAD /v2/${ref.repository}/manifests/${reference} answered HTTP 404`,
      `Push the image first, or check the reference: ${formatReference(ref)} does not exist (or is not visible to the login used)`,
    );
  }
  return found;
}
