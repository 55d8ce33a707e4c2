// Where the tests find the external corpora (copies in __tests__/fixtures/corpus/, see its README)
// and the trust the Sigstore conformance corpus is verified against by default.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createTrust, loadTrustedRoots, type Trust } from '../../../src/verify/trust/index.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
/** The external corpora, copied into the repository unchanged. */
export const CORPORA = path.join(REPO_ROOT, '__tests__/fixtures/corpus');
/** The Sigstore conformance suite's bundle-verify cases. */
export const CORPUS = path.join(CORPORA, 'sigstore-conformance/test/assets/bundle-verify');
/** slsa-github-generator container attestations saved by `cosign save` (one OCI layout per release). */
export const COSIGN_CONTAINERS = path.join(CORPORA, 'cosign-containers');
/** slsa-github-generator generic workflow v1.9.0: an artifact and its bare DSSE envelope. */
export const SLSA_GENERATOR_DSSE = path.join(CORPORA, 'slsa-generator-dsse');

export const DEFAULT_IDENTITY =
  'https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main';
export const DEFAULT_ISSUER = 'https://token.actions.githubusercontent.com';

export const casePath = (name: string, file: string): string => path.join(CORPUS, name, file);
export const caseBundle = (name: string): unknown =>
  JSON.parse(readFileSync(casePath(name, 'bundle.sigstore.json'), 'utf8'));
export const defaultArtifact = (): Buffer => readFileSync(path.join(CORPUS, 'a.txt'));

/** Every case's bundle and trusted root, parsed (the cases without one, or with malformed JSON, left out). */
export function corpusDocuments(): unknown[] {
  const documents: unknown[] = [];
  for (const dir of readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const file of ['bundle.sigstore.json', 'trusted_root.json']) {
      try {
        documents.push(JSON.parse(readFileSync(path.join(CORPUS, dir.name, file), 'utf8')));
      } catch {
        // absent, or the malformed-JSON case
      }
    }
  }
  return documents;
}

let publicGood: Promise<Trust> | undefined;
export function publicGoodTrust(): Promise<Trust> {
  publicGood ??= loadTrustedRoots('public-good-offline', REPO_ROOT).then(createTrust);
  return publicGood;
}

export async function caseTrust(name: string): Promise<Trust> {
  return createTrust(await loadTrustedRoots(casePath(name, 'trusted_root.json'), REPO_ROOT));
}

/** The attestation layer of each cosign-containers release, as its .att manifest lists it, and the image it attests. */
export function cosignContainerLayers(): {
  release: string;
  imageDigest: string;
  envelope: string;
  annotations: Record<string, string>;
}[] {
  return ['v1.4.0', 'v1.9.0', 'v2.1.0'].map((release) => {
    const layout = path.join(COSIGN_CONTAINERS, release, 'container_workflow_dispatch');
    const blob = (digest: string): string =>
      readFileSync(path.join(layout, 'blobs', 'sha256', digest.replace(/^sha256:/, '')), 'utf8');
    const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as {
      manifests: { digest: string; annotations?: Record<string, string> }[];
    };
    const atts = index.manifests.find((m) => m.annotations?.['kind'] === 'dev.cosignproject.cosign/atts');
    const manifest = JSON.parse(blob(atts?.digest ?? '')) as {
      layers: { digest: string; annotations: Record<string, string> }[];
    };
    const [layer] = manifest.layers;
    if (!layer) throw new Error(`${release}: no attestation layer`);
    const imageDigest = readFileSync(
      path.join(COSIGN_CONTAINERS, release, 'container_workflow_dispatch.digest'),
      'utf8',
    ).trim();
    return { release, imageDigest, envelope: blob(layer.digest), annotations: layer.annotations };
  });
}
