// Attest mode's front door: the only module of src/attest/ that code outside it imports (main.ts,
// cli.ts, the summary attestations). Reading attest's inputs is light and exported directly;
// attesting (the job's token, hashing, sigstore-js's signer), the summary and publishing come
// through the load* functions, on first use, so verify mode and `--help` start without them:
// the build turns each into a chunk of dist/ of its own. README "How the code is laid out" maps
// what is behind the door.

export { attestSettings, type AttestSettings } from './settings.ts';

/** Attest mode: attest (sign and stage the bundle file), its summary, and publish. */
export async function loadAttester() {
  const [{ attest }, { attestSummaryMarkdown, attestSummaryText }, { publish }] = await Promise.all([
    import('./attest.ts'),
    import('./summary.ts'),
    import('./publish/index.ts'),
  ]);
  return { attest, attestSummaryMarkdown, attestSummaryText, publish };
}

/**
 * Signing statements that are not provenance (the summary attestations verify mode earns): a
 * session with the job's token, the signing, and the bundle file's checks and text.
 */
export async function loadSigner() {
  const [{ openSigningSession, signStatements }, { serializeBundles }, { checkWritable }] = await Promise.all([
    import('./attest.ts'),
    import('./bundle-files.ts'),
    import('./writable.ts'),
  ]);
  return { openSigningSession, signStatements, serializeBundles, checkWritable };
}
