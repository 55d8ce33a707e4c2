// Where the tests find the Sigstore conformance corpus (beside the checkout, never copied into it)
// and the trust it is verified against by default.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createTrust, loadTrustedRoots, type Trust } from '../../../src/verify/trust/index.ts';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
export const CORPUS = path.resolve(REPO_ROOT, '../shared/corpus/sigstore-conformance/test/assets/bundle-verify');

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
  publicGood ??= loadTrustedRoots('public-good', REPO_ROOT).then(createTrust);
  return publicGood;
}

export async function caseTrust(name: string): Promise<Trust> {
  return createTrust(await loadTrustedRoots(casePath(name, 'trusted_root.json'), REPO_ROOT));
}
