// The one error type the action raises on purpose. Every failure a user can cause or fix
// (a bad input, a missing permission, a service that is down) becomes a ProvenanceError,
// and `main` prints it as a single line: what failed, what was expected, how to fix it.

export type ErrorCode =
  | 'GITHUB_API_FAILED' // the GitHub API could not be reached, kept failing, or answered something unusable
  | 'GITHUB_PERMISSION_DENIED' // the GitHub API refused the token (401/403): usually a missing workflow permission
  | 'RELEASE_NOT_FOUND' // no GitHub release exists for the tag bundles are published to or read from
  | 'RELEASE_ASSET_CONFLICT' // a release already has an asset of that name with other content
  | 'ATTESTATIONS_UNAVAILABLE' // the attestations API refused the repository (its plan, or a missing permission)
  | 'INPUT_INVALID' // an input has a value we cannot use
  | 'INPUT_CONFLICT' // two inputs that cannot be combined, or none of a required set
  | 'CEL_INVALID' // a content policy (CEL) expression is too long, does not parse, or names an unknown variable or function
  | 'PATH_OUTSIDE_WORKSPACE' // a path, or a symlink's target, escapes the workspace
  | 'SUBJECT_NOT_FOUND' // a pattern matched nothing, or a named file does not exist
  | 'BUNDLE_NOT_FOUND' // a bundle-path pattern matched no file
  | 'SUBJECT_NOT_REGULAR' // a FIFO, device, socket or other non-regular file was named
  | 'SUBJECT_UNREADABLE' // a file could not be read
  | 'SUBJECT_DIGEST_INVALID' // a digest that is not algorithm:hex of the right length
  | 'SUBJECT_DUPLICATE' // one subject name with two different digests
  | 'CHECKSUMS_INVALID' // a line of a checksums file we cannot parse
  | 'PREDICATE_INVALID' // predicate JSON that does not parse or is not an object
  | 'LINK_INVALID' // a links bundle is not an attestation of these subjects, or links found nothing
  | 'OIDC_UNAVAILABLE' // no way to get an identity token (missing id-token permission)
  | 'OIDC_REQUEST_FAILED' // the token endpoint failed
  | 'OIDC_TOKEN_INVALID' // the token does not verify against its issuer's keys
  | 'OIDC_CLAIMS_INVALID' // the token verifies but lacks claims provenance needs
  | 'EVENT_UNSUPPORTED' // a workflow event the build type does not describe
  | 'SIGSTORE_CONFIG_INVALID' // the sigstore input or SigningConfig file is unusable
  | 'FULCIO_FAILED' // the certificate authority refused or could not be reached
  | 'REKOR_FAILED' // the transparency log refused or could not be reached
  | 'TSA_FAILED' // the timestamp authority refused or could not be reached
  | 'SIGNING_FAILED' // any other failure while signing
  | 'OUTPUT_FAILED' // a bundle or summary could not be written
  | 'TRUSTED_ROOT_UNAVAILABLE' // a trusted root file could not be read, or its TUF repository reached
  | 'REGISTRY_FAILED' // an OCI registry refused a request, or could not be reached
  | 'REGISTRY_AUTH_FAILED' // no usable login for a registry: missing, refused, or a credential helper failed
  | 'REGISTRY_CONTENT_INVALID' // a registry served a manifest or blob we cannot use (too large, wrong digest, not JSON)
  | 'ARTIFACTS_UNAVAILABLE' // no Actions runtime (ACTIONS_RUNTIME_TOKEN / ACTIONS_RESULTS_URL): not inside a GitHub Actions job
  | 'ARTIFACT_CONFLICT' // an artifact of that name already exists in this workflow run
  | 'ARTIFACT_NOT_FOUND' // no artifact of that name, or none of its files are bundles
  | 'ARTIFACT_FAILED' // the GitHub Actions artifact service or its blob storage refused or could not be reached
  | 'VERIFICATION_FAILED'; // verify mode: an artifact has no bundle that passes every check and the policy

export class ProvenanceError extends Error {
  readonly code: ErrorCode;
  /** What the user should change to make the next run pass. */
  readonly hint: string;

  constructor(code: ErrorCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProvenanceError';
    this.code = code;
    this.hint = hint;
  }

  /** The single line shown to the user, e.g. by `core.setFailed` or on the CLI's stderr. */
  toLine(): string {
    return oneLine(`${this.message}. ${this.hint} [${this.code}]`);
  }
}

/**
 * Line breaks folded into spaces: a message may quote what it was given (a file's first line,
 * a parser's complaint about it), and the user must still see one line.
 */
export function oneLine(text: string): string {
  return text.replace(/[ \t]*(?:\r\n|\r|\n)[ \t]*/g, ' ');
}

/** One line for any thrown value; unexpected errors keep their message, never a stack. */
export function errorLine(err: unknown): string {
  if (err instanceof ProvenanceError) return err.toLine();
  if (err instanceof Error) return oneLine(`unexpected error: ${err.message} [INTERNAL]`);
  return oneLine(`unexpected error: ${String(err)} [INTERNAL]`);
}
