// The shape of the `github-token` input, checked when the inputs are read: a token that cannot
// be sent in an HTTP header would otherwise fail only at the first GitHub request, which attest
// mode makes after signing (a log entry already public). The token itself is never quoted.

import { ProvenanceError } from '../common/errors.ts';

/** What a header value may carry: visible ASCII only (RFC 9110 field-vchar, minus obs-text). */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/** Throws INPUT_INVALID unless `token` (already trimmed) is empty or sendable as a bearer token. */
export function checkGitHubTokenShape(token: string): void {
  if (token === '' || HEADER_SAFE.test(token)) return;
  const what = /[\r\n]/.test(token)
    ? 'a line break'
    : /\s/.test(token)
      ? 'white space (e.g. a "Bearer " prefix)'
      : /\p{Cc}/u.test(token)
        ? 'a control character'
        : 'a character outside visible ASCII';
  throw new ProvenanceError(
    'INPUT_INVALID',
    `github-token contains ${what}, which cannot be sent in an HTTP header; expected the token alone`,
    'Pass the token itself (e.g. "github-token: ${{ secrets.GITHUB_TOKEN }}"), without a "Bearer" prefix, quotes or line breaks; check the secret was stored without them',
  );
}

/** Throws INPUT_CONFLICT when publishing to GitHub (named by `sink`) needs a token and none was given. */
export function requireGitHubToken(token: string, sink: string): void {
  if (token !== '') return;
  throw new ProvenanceError(
    'INPUT_CONFLICT',
    `github-token is empty, but ${sink} needs it`,
    'Keep the default "github-token: ${{ github.token }}" (or pass a token with the permissions that sink needs), or turn that publishing off',
  );
}
