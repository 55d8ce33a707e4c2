// The cryptographic layer of verify mode: one bundle in, its verified facts out (or the check
// that failed).

export { verifyBundleCrypto, type ArtifactInput, type CryptoOptions } from './verify-bundle.ts';
export { parseBundle, BUNDLE_MEDIA_TYPES } from './bundle-format.ts';
export { certificateFacts } from './certificate-facts.ts';
