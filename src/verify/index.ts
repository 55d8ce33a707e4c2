// Verify mode's front door: the only module of src/verify/ that code outside it imports (main.ts,
// cli.ts, the summary attestations, attest mode's links). What it exports directly is light: reading
// verify's inputs and the report's text. Verification itself (sigstore-js, the
// worker pool, the registries and GitHub, the policy's YAML reader) comes through the load*
// functions, on first use, so attest mode and `--help` start without it: the build turns each
// into a chunk of dist/ of its own. README "How the code is laid out" maps what is behind the door.

export { modeFrom, verifySettings, type Mode, type VerifySettings } from './settings.ts';
export { reportText, type VerifyReport } from './report/report.ts';
export type { LoadedBundle } from './sources/bundle-text.ts';

/** Verification: the run itself, the policy (and the reader a policy file is read through), the job summary and annotations. */
export async function loadVerifier() {
  const [{ verify, workspaceFileReader }, { policyFromInputs }, { reportMarkdown }, { verifyAnnotations }] =
    await Promise.all([
      import('./verify.ts'),
      import('./policy/index.ts'),
      import('./report/report-markdown.ts'),
      import('./report/annotations.ts'),
    ]);
  return { verify, workspaceFileReader, policyFromInputs, reportMarkdown, verifyAnnotations };
}

/** The statements of the Verification Summary Attestations a report earns (signed by the caller). */
export async function loadSummaryStatements() {
  const { vsaStatements } = await import('./report/vsa.ts');
  return { vsaStatements };
}

/** `provenance verify-bundle`, the Sigstore conformance suite's client protocol. */
export async function loadConformance() {
  const { verifyBundleCommand } = await import('./conformance.ts');
  return { verifyBundleCommand };
}

/**
 * Bundles from files named by globs, from JSON a registry gave, and bundles stored on GitHub (release assets, the attestations
 * API), read as verify mode reads them. Loaded on use: the glob reader is @actions/glob, CommonJS
 * that the build cannot leave out of a chunk that imports it.
 */
export async function loadBundleSources() {
  const [{ loadBundleFiles }, { loadedJSON }, { githubBundles }] = await Promise.all([
    import('./sources/bundle-files.ts'),
    import('./sources/bundle-text.ts'),
    import('./sources/sources.ts'),
  ]);
  return { loadBundleFiles, loadedJSON, githubBundles };
}
