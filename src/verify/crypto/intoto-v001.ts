// Rekor `intoto` 0.0.1 log entries, which cosign 1.x and slsa-github-generator before v1.10 wrote
// and @sigstore/verify refuses to read ("unsupported intoto version"). Such an entry records
//   spec.content.hash         SHA-256 of the DSSE envelope exactly as it was submitted,
//   spec.content.payloadHash  SHA-256 of the decoded payload (absent from the earliest entries),
//   spec.publicKey            base64 of the signer's PEM certificate.
// This file checks the body against the bundle, and the entry's inclusion (its promise and any
// proof) against each trusted root, by log-inclusion.ts. verify-bundle.ts then lets the Verifier do
// every other check (trusted time, certificate chain and SCT, signature) with its log stage left
// to us. The envelope's bytes come from the source when it keeps them (cosign .att layers); for a
// bundle, which only holds the envelope's fields, they are rebuilt in cosign's serialization (Go's
// encoding/json over its struct: payloadType, payload, signatures[{keyid, sig}]), which cosign's
// layers match byte for byte. Any other serialization fails the hash: refused, never guessed at.

import { createHash, X509Certificate as NodeCertificate } from 'node:crypto';
import type { Bundle, Envelope, TransparencyLogEntry } from '@sigstore/bundle';
import type { TrustMaterial } from '@sigstore/verify';
import { isObject, parseJSON } from '../../common/json.ts';
import { VerificationError } from '../types.ts';
import { promiseVerified, proofVerified, type LogEntry } from './log-inclusion.ts';

/** The bundle's one log entry when it is an intoto 0.0.1 entry; undefined otherwise. */
export function intotoV001Entry(bundle: Bundle): TransparencyLogEntry | undefined {
  const entries = bundle.verificationMaterial.tlogEntries;
  const [entry] = entries;
  return entries.length === 1 && entry?.kindVersion?.kind === 'intoto' && entry.kindVersion.version === '0.0.1'
    ? entry
    : undefined;
}

const tlogFailure = (expected: string, found: string): VerificationError =>
  new VerificationError({ check: 'tlog', expected, found });

/**
 * Throws (check `tlog`) unless the entry's body records this envelope and this leaf certificate.
 * `loggedEnvelope`: the envelope's text as the source kept it, if it did.
 */
export function requireIntotoV001Body(
  entry: TransparencyLogEntry,
  envelope: Envelope,
  leaf: Uint8Array | undefined,
  loggedEnvelope: string | undefined,
): void {
  const body = parseJSON(Buffer.from(entry.canonicalizedBody));
  const spec = body.ok && isObject(body.value) ? body.value['spec'] : undefined;
  const content = isObject(spec) ? spec['content'] : undefined;
  if (!isObject(spec) || !isObject(content))
    throw tlogFailure('an intoto 0.0.1 entry body with spec.content', 'another shape');

  if (envelope.signatures.length !== 1)
    throw tlogFailure(
      'a DSSE envelope with one signature, as an intoto 0.0.1 entry logs it',
      `${envelope.signatures.length} signatures`,
    );
  const text = loggedEnvelope ?? cosignSerialization(envelope);
  if (loggedEnvelope !== undefined && !sameEnvelope(loggedEnvelope, envelope)) {
    throw tlogFailure('the logged envelope text to hold the envelope being verified', 'another envelope');
  }
  const envelopeHash = sha256Of(content['hash']);
  const actual = createHash('sha256').update(text, 'utf8').digest('hex');
  if (envelopeHash !== actual)
    throw tlogFailure(
      `the log entry to record this envelope (SHA-256 ${actual})`,
      envelopeHash === undefined
        ? 'an entry with no sha256 envelope hash'
        : `an entry recording SHA-256 ${envelopeHash}`,
    );

  if (content['payloadHash'] !== undefined) {
    const payloadHash = sha256Of(content['payloadHash']);
    const payload = createHash('sha256').update(envelope.payload).digest('hex');
    if (payloadHash !== payload)
      throw tlogFailure(
        `the log entry to record this payload (SHA-256 ${payload})`,
        payloadHash === undefined
          ? 'an entry with no sha256 payload hash'
          : `an entry recording SHA-256 ${payloadHash}`,
      );
  }

  if (leaf === undefined)
    throw tlogFailure(
      'a certificate-signed bundle (intoto 0.0.1 entries are read for Fulcio certificates)',
      'a bundle signed with a key',
    );
  const logged =
    typeof spec['publicKey'] === 'string'
      ? certificateDER(Buffer.from(spec['publicKey'], 'base64').toString('utf8'))
      : undefined;
  if (logged === undefined || !logged.equals(leaf))
    throw tlogFailure(
      "the log entry to record the bundle's signing certificate",
      logged === undefined ? 'no certificate' : 'another certificate',
    );
}

/** Whether one of `tlogs` verifies the entry's inclusion promise (at its integrated time) and, if it has one, its inclusion proof. */
export function intotoV001Included(entry: TransparencyLogEntry, tlogs: TrustMaterial['tlogs']): boolean {
  const promise = entry.inclusionPromise?.signedEntryTimestamp;
  const proof = entry.inclusionProof;
  // A proof without its checkpoint proves nothing (verifyCheckpoint refuses it too).
  if (proof && !proof.checkpoint) return false;
  const plain: LogEntry = {
    logIndex: Number(entry.logIndex),
    keyId: Buffer.from(entry.logId.keyId),
    kind: entry.kindVersion.kind,
    version: entry.kindVersion.version,
    integratedTime: Number(entry.integratedTime),
    signedEntryTimestamp: Buffer.from(promise ?? []),
    proof: proof?.checkpoint && {
      logIndex: BigInt(proof.logIndex),
      rootHash: Buffer.from(proof.rootHash),
      treeSize: proof.treeSize,
      hashes: proof.hashes.map((h) => Buffer.from(h)),
      checkpoint: proof.checkpoint.envelope,
    },
    body: Buffer.from(entry.canonicalizedBody),
  };
  // As verifyTLogInclusion: a promise, a proof or both, each verified; neither is no inclusion.
  if (promise === undefined && plain.proof === undefined) return false;
  if (promise !== undefined && !promiseVerified(plain, tlogs, new Date(plain.integratedTime * 1000))) return false;
  return plain.proof === undefined || proofVerified(plain, plain.proof, tlogs);
}

function cosignSerialization(envelope: Envelope): string {
  const signatures = envelope.signatures.map((s) => ({ keyid: s.keyid, sig: Buffer.from(s.sig).toString('base64') }));
  return JSON.stringify({
    payloadType: envelope.payloadType,
    payload: Buffer.from(envelope.payload).toString('base64'),
    signatures,
  });
}

function sameEnvelope(text: string, envelope: Envelope): boolean {
  const parsed = parseJSON(text);
  if (!parsed.ok || !isObject(parsed.value)) return false;
  const { payloadType, payload, signatures } = parsed.value;
  const [only] = Array.isArray(signatures) ? (signatures as unknown[]) : [];
  const [expected] = envelope.signatures;
  return (
    Array.isArray(signatures) &&
    signatures.length === 1 &&
    isObject(only) &&
    expected !== undefined &&
    payloadType === envelope.payloadType &&
    typeof payload === 'string' &&
    Buffer.from(payload, 'base64').equals(Buffer.from(envelope.payload)) &&
    typeof only['sig'] === 'string' &&
    Buffer.from(only['sig'], 'base64').equals(Buffer.from(expected.sig))
  );
}

function sha256Of(h: unknown): string | undefined {
  return isObject(h) && h['algorithm'] === 'sha256' && typeof h['value'] === 'string'
    ? h['value'].toLowerCase()
    : undefined;
}

function certificateDER(pem: string): Buffer | undefined {
  try {
    return new NodeCertificate(pem).raw;
  } catch {
    return undefined;
  }
}
