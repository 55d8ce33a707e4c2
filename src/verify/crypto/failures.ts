// Turns whatever @sigstore/verify throws into the check a user sees. Its VerificationError codes
// name the stage (TIMESTAMP_ERROR, CERTIFICATE_ERROR, TLOG_*, SIGNATURE_ERROR, PUBLIC_KEY_ERROR);
// anything else (a TypeError on malformed input deep in a check) is attributed to the stage the
// verifier was in when it was thrown, so every failure names a check and none is swallowed.

import { VerificationError as SigstoreVerificationError } from '@sigstore/verify';
import { VerificationError, type CheckName } from '../types.ts';

/** The verifier's stages, in the order it runs them. */
export type Stage = 'timestamp' | 'key' | 'tlog' | 'signature';
export type KeyKind = 'certificate' | 'public-key';

const EXPECTED: Partial<Record<CheckName, string>> = {
  timestamp:
    "a trusted signing time: an RFC 3161 timestamp from a trusted timestamp authority, or a log entry's signed integration time",
  'certificate-chain': 'a signing certificate issued by a trusted certificate authority and valid at the signing time',
  sct: 'a signed certificate timestamp from a trusted CT log in the signing certificate',
  'public-key': 'the given public key',
  tlog: 'a transparency log entry for this signature, included in a trusted log',
  signature: 'a signature that verifies with the signing key',
};

// Later stages mean the bundle got further: when several trusted roots reject a bundle, the one
// that got furthest is the root it was meant for, and its failure is the one worth showing.
const DEPTH: readonly CheckName[] = [
  'bundle-format',
  'trusted-root',
  'timestamp',
  'certificate-chain',
  'public-key',
  'sct',
  'tlog',
  'signature',
];

export function depth(failure: VerificationError): number {
  return DEPTH.indexOf(failure.failure.check);
}

export function toFailure(err: unknown, stage: Stage, keyKind: KeyKind): VerificationError {
  if (err instanceof VerificationError) return err;
  const found = describe(err);
  const check =
    err instanceof SigstoreVerificationError
      ? (checkOfCode(err.code, found) ?? checkOfStage(stage, keyKind))
      : checkOfStage(stage, keyKind);
  return new VerificationError({ check, expected: EXPECTED[check] ?? check, found: rephrase(found) }, { cause: err });
}

function checkOfCode(code: string, message: string): CheckName | undefined {
  switch (code) {
    case 'TIMESTAMP_ERROR':
      return 'timestamp';
    case 'CERTIFICATE_ERROR':
      return /\bSCTs?\b/.test(message) ? 'sct' : 'certificate-chain';
    case 'PUBLIC_KEY_ERROR':
      return 'public-key';
    case 'SIGNATURE_ERROR':
      return 'signature';
    default:
      return code.startsWith('TLOG_') ? 'tlog' : undefined;
  }
}

function checkOfStage(stage: Stage, keyKind: KeyKind): CheckName {
  switch (stage) {
    case 'timestamp':
      return 'timestamp';
    case 'key':
      return keyKind === 'certificate' ? 'certificate-chain' : 'public-key';
    case 'tlog':
      return 'tlog';
    case 'signature':
      return 'signature';
  }
}

// sigstore-js' threshold messages count; say what was missing instead.
function rephrase(found: string): string {
  const counted = /^expected (\d+) (timestamps|tlog entries|SCTs), got (\d+)/.exec(found);
  if (!counted) return found;
  const [, , what, got] = counted;
  if (what === 'timestamps' && got === '0')
    return 'no trusted time (no verified RFC 3161 timestamp, no log entry with an inclusion promise)';
  if (what === 'tlog entries' && got === '0') return 'no transparency log entry';
  if (what === 'SCTs' && got === '0') return 'no signed certificate timestamp in the certificate';
  return found;
}

// The message, with the cause's when sigstore-js wraps one ("Failed to verify certificate chain"
// says less than "certificate is not valid or expired at the specified date"); one line.
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause: unknown = err.cause;
  const text =
    cause instanceof Error && cause.message !== err.message ? `${err.message}: ${cause.message}` : err.message;
  return text.replace(/\s+/g, ' ').trim() || err.name;
}
