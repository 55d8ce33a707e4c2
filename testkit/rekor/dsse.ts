// What the local Rekor stores for a `dsse` 0.0.1 proposal: the canonical form real Rekor writes
// ({envelopeHash, payloadHash, signatures: [{signature, verifier}]}), after checking every envelope
// signature as Rekor does. Storing the proposal verbatim (as @sigstore/mock did) makes @sigstore/verify
// reject the entry with "TLOG_BODY_ERROR: signature count mismatch".
import { createHash, createPublicKey, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** A proposal the log refuses with 400 Bad Request. */
export class BadEntry extends Error {}

export interface ProposedDSSE {
  apiVersion: string;
  kind: 'dsse';
  spec: { proposedContent: { envelope: string; verifiers: string[] } };
}

export function isProposedDSSE(value: unknown): value is ProposedDSSE {
  const v = value as Partial<ProposedDSSE> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.kind === 'dsse' &&
    typeof v.spec?.proposedContent?.envelope === 'string' &&
    Array.isArray(v.spec.proposedContent.verifiers)
  );
}

const sha256hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

// DSSE pre-authentication encoding; Rekor verifies every envelope signature over it before logging.
function pae(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType);
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${payload.length} `), payload]);
}

// A verifier is a base64-encoded PEM certificate or public key.
function verifierKey(verifier: string): KeyObject {
  try {
    return createPublicKey(Buffer.from(verifier, 'base64').toString('utf8'));
  } catch {
    throw new BadEntry('verifier is not a PEM certificate or public key');
  }
}

// The digest Rekor pairs with each key type (ECDSA curve size decides; Ed25519 signs the message itself).
function hashFor(key: KeyObject): string | null {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'secp384r1') return 'sha384';
  if (curve === 'secp521r1') return 'sha512';
  return key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
}

// Rewrites a dsse 0.0.1 proposal into the form real Rekor stores:
// {envelopeHash, payloadHash, signatures: [{signature, verifier}]}, where envelopeHash is the SHA-256 of the
// envelope JSON exactly as submitted and payloadHash the SHA-256 of the decoded payload. Like Rekor, refuses
// an envelope whose signatures do not verify with the given verifiers.
export function canonicalDSSE(proposed: ProposedDSSE): object {
  const { envelope: envelopeJSON, verifiers } = proposed.spec.proposedContent;
  let envelope: { payloadType?: unknown; payload?: unknown; signatures?: unknown };
  try {
    envelope = JSON.parse(envelopeJSON) as typeof envelope;
  } catch {
    throw new BadEntry('envelope is not valid JSON');
  }
  const { payloadType, payload, signatures } = envelope;
  if (
    typeof payloadType !== 'string' ||
    typeof payload !== 'string' ||
    !Array.isArray(signatures) ||
    signatures.length === 0
  ) {
    throw new BadEntry('envelope must have payloadType, payload and at least one signature');
  }
  const payloadBytes = Buffer.from(payload, 'base64');
  const message = pae(payloadType, payloadBytes);
  const keys = verifiers.map((v) => ({ verifier: v, key: verifierKey(v) }));
  const canonicalSignatures = signatures.map((s: unknown) => {
    const sig = (s as { sig?: unknown } | null)?.sig;
    if (typeof sig !== 'string') throw new BadEntry('signature without sig');
    const match = keys.find(({ key }) => verify(hashFor(key), message, key, Buffer.from(sig, 'base64')));
    if (!match) throw new BadEntry('verifying signatures: no verifier matches a signature');
    return { signature: sig, verifier: match.verifier };
  });
  return {
    apiVersion: proposed.apiVersion,
    kind: 'dsse',
    spec: {
      envelopeHash: { algorithm: 'sha256', value: sha256hex(envelopeJSON) },
      payloadHash: { algorithm: 'sha256', value: sha256hex(payloadBytes) },
      signatures: canonicalSignatures,
    },
  };
}
