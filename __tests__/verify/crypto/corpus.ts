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
export const caseBundle = (name: string): unknown => JSON.parse(readFileSync(casePath(name, 'bundle.sigstore.json'), 'utf8'));
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
