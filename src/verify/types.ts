// The vocabulary of verify mode, shared by its parts: what the cryptographic checks establish
// about a bundle (VerifiedBundle), what the trusted certificate says (CertificateFacts), and how
// a failed check is reported (CheckFailure: name, expected, found). Verification never imports
// signing; these types are its contract.

/** Every check verify mode can fail, by the name shown to users. */
export type CheckName =
  | 'bundle-format' // not JSON, unknown media type, missing or malformed parts
  | 'trusted-root' // the trusted root itself is unusable (e.g. a tlog key without validFor.start)
  | 'signature' // the DSSE signature over PAE, or the message signature, does not verify
  | 'public-key' // a key-signed bundle does not match the given key, or no key was given
  | 'certificate-chain' // the leaf does not chain to a trusted CA valid at signing time
  | 'sct' // no valid signed certificate timestamp from a trusted CT log
  | 'tlog' // log entry body, inclusion promise, inclusion proof or checkpoint does not verify
  | 'timestamp' // an RFC 3161 timestamp does not verify, or no trusted time at all
  | 'subject-digest' // the artifact's digest is not a subject of the statement
  | 'artifact-changed' // no bundle lists the artifact's digest, but one lists its name with another digest
  | 'predicate-type'
  | 'certificate-identity' // SAN (exact or anchored regexp)
  | 'certificate-oidc-issuer'
  | 'repository'
  | 'owner'
  | 'signer-workflow'
  | 'signer-repository'
  | 'source-ref'
  | 'source-digest'
  | 'builder-id'
  | 'runner-environment' // deny-self-hosted-runners
  | 'max-age'
  | 'predicate-matches-certificate' // the provenance claims something its certificate does not
  | 'chain-stage' // require-chain: no attestation of a stage covers the artifact
  | 'chain-link' // require-chain: a stage's attestation does not link to the stage before
  | 'chain-commit' // require-chain: no passing Source VSA is for the commit the build provenance names
  | 'content' // a content policy (CEL expression) over the attestation is not true: false, an evaluation error or not a bool
  | 'stage-result'; // require-chain: the stage's own document says it did not pass (a FAILED policy result, a failed or unapproved approval)

export interface CheckFailure {
  check: CheckName;
  expected: string;
  found: string;
}

/** A check failed: thrown by the cryptographic layer, collected by the policy layer. */
export class VerificationError extends Error {
  readonly failure: CheckFailure;
  constructor(failure: CheckFailure, options?: { cause?: unknown }) {
    super(`${failure.check}: expected ${failure.expected}, found ${failure.found}`, options);
    this.name = 'VerificationError';
    this.failure = failure;
  }
}

/**
 * What a Fulcio certificate says about the signer (OID 1.3.6.1.4.1.57264.1.*). These are the
 * facts the signer could not forge; the provenance must agree with them. Values are exactly as
 * in the certificate (v2 extensions are DER UTF8Strings; legacy ones raw strings).
 */
export interface CertificateFacts {
  subjectAlternativeName: string; // URI or email SAN
  issuer: string | undefined; // .8, else legacy .1
  buildSignerURI: string | undefined; // .9  https://github.com/<job_workflow_ref>
  buildSignerDigest: string | undefined; // .10 job_workflow_sha
  runnerEnvironment: string | undefined; // .11 github-hosted | self-hosted
  sourceRepositoryURI: string | undefined; // .12 https://github.com/OWNER/REPO
  sourceRepositoryDigest: string | undefined; // .13 commit sha (legacy .3)
  sourceRepositoryRef: string | undefined; // .14 refs/... (legacy .6)
  sourceRepositoryIdentifier: string | undefined; // .15
  sourceRepositoryOwnerURI: string | undefined; // .16 https://github.com/OWNER
  sourceRepositoryOwnerIdentifier: string | undefined; // .17
  buildConfigURI: string | undefined; // .18 https://github.com/<workflow_ref>
  buildConfigDigest: string | undefined; // .19
  buildTrigger: string | undefined; // .20 event name (legacy .2)
  runInvocationURI: string | undefined; // .21
  sourceRepositoryVisibilityAtSigning: string | undefined; // .22
}

export interface InTotoStatement {
  _type: string;
  subject: { name: string; digest: Record<string, string> }[];
  predicateType: string;
  predicate: Record<string, unknown>;
}

/** The outcome of the cryptographic checks on one bundle, all of which passed. */
export interface VerifiedBundle {
  /** Certificate facts; undefined for a bundle signed with a managed key. */
  certificate: CertificateFacts | undefined;
  /** The trusted signing time: a log's integrated time or an RFC 3161 timestamp (the earliest). */
  signedAt: Date;
  /** For DSSE bundles: the in-toto statement, parsed (payloadType application/vnd.in-toto+json). */
  statement: InTotoStatement | undefined;
  /** For message-signature bundles: the signed artifact's digest. */
  messageDigest: { algorithm: string; hex: string } | undefined;
  /** For in-toto DSSE bundles: sha256 hex of the signed payload, what links name (src/stages/links.ts). */
  statementDigest?: string;
  /** The bundle's (first) transparency-log entry, for a link to it: the index as written, the log's id as hex. */
  logEntry?: { logIndex: string; logId: string };
}
