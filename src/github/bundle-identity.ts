// What the attestations API needs to know of a bundle before posting it: the statement it signs
// (the same statement is the same attestation, see attestation-identity.ts) and the subject digest
// the API indexes it under, which is how we look for a stored copy.

import { ProvenanceError } from '../common/errors.ts';
import { ownValue } from '../common/json.ts';

export interface BundleIdentity {
  signature: string; // base64, as in dsseEnvelope.signatures[0].sig
  statement: string; // the DSSE payload: what makes two bundles the same attestation
  subjectDigest: string | undefined; // lowercase sha256 hex of the first subject that has one
}

const SHA256 = /^[0-9a-f]{64}$/;

export function bundleIdentity(bundle: unknown): BundleIdentity {
  const envelope = field(bundle, 'dsseEnvelope');
  const signatures = field(envelope, 'signatures');
  const first: unknown = Array.isArray(signatures) ? signatures[0] : undefined;
  const signature = field(first, 'sig');
  const payload = field(envelope, 'payload');
  if (typeof signature !== 'string' || signature === '' || typeof payload !== 'string') {
    throw new ProvenanceError(
      'INPUT_INVALID',
      'the attestations API stores DSSE bundles (a signed in-toto statement), and this bundle has no dsseEnvelope signature',
      'Publish the bundles attest mode writes; message-signature bundles cannot go to the attestations API',
    );
  }
  return { signature, statement: payload, subjectDigest: firstSubjectDigest(payload) };
}

function firstSubjectDigest(payload: string): string | undefined {
  let statement: unknown;
  try {
    statement = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  const subjects = field(statement, 'subject');
  if (!Array.isArray(subjects)) return undefined;
  for (const subject of subjects as unknown[]) {
    const hex = field(field(subject, 'digest'), 'sha256');
    if (typeof hex === 'string' && SHA256.test(hex.toLowerCase())) return hex.toLowerCase();
  }
  return undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? ownValue(value, key) : undefined;
}

/** `sha256:<hex>` or bare hex, as a user may write it; lowercase hex back, or an error naming the value. */
export function sha256Hex(digest: string): string {
  const hex = digest
    .trim()
    .toLowerCase()
    .replace(/^sha256:/, '');
  if (!SHA256.test(hex)) {
    throw new ProvenanceError(
      'SUBJECT_DIGEST_INVALID',
      `"${digest}" is not a sha256 digest`,
      'Give the artifact digest as sha256:<64 hex digits>',
    );
  }
  return hex;
}
