// What verify mode trusts: loading and validating trusted roots, and turning them into the
// material @sigstore/verify checks bundles against (once per run).

export { loadTrustedRoots, type LoadOptions } from './load.ts';
export { createTrust, type Trust, type TrustedInstance } from './material.ts';
export { validateTrustedRoot } from './validate.ts';
export { GITHUB_TUF_MIRROR, type GitHubRootOptions } from './github.ts';
export type { TrustedRootJSON } from './root-json.ts';
