// The stand-in for src/attest/publish/copy-check.ts in tests of one sink's logic (the GitHub API, a release, a
// registry), whose bundles are not signed by any CA: every stored copy with our statement counts as ours.
// The copy check itself is tested against the local Sigstore stack (__tests__/attest/publish/copy-check.test.ts)
// and end to end (__tests__/adversarial/publishing-squat.test.ts).
import type { CopyCheck } from '../src/common/attestation-identity.ts';

export const trustCopies: CopyCheck = () => Promise.resolve(true);
