// What verify mode trusts: loading and validating trusted roots, and turning them into the
// material @sigstore/verify checks bundles against (once per run).

export { loadTrustedRoots, NAMED_TRUSTED_ROOTS, type LoadOptions } from './load.ts';
export { createTrust, type Trust, type TrustedInstance } from './material.ts';
export { validateTrustedRoot } from './validate.ts';
export { GITHUB_TUF_MIRROR, type GitHubRootOptions } from './github.ts';
export { PUBLIC_GOOD_TUF_MIRROR } from './public-good.ts';
export type { PublicGoodRootOptions } from './public-good-tuf.ts';
export { tufTempDir } from './tuf.ts';
export type { TrustedRootJSON } from './root-json.ts';
