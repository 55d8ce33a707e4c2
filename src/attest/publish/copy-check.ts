// Whether a stored bundle is a copy of our attestation, or only looks like one (issue #14 item 8).
// Publishing is idempotent by statement: a re-run re-signs the same statement, and a sink that already
// holds a bundle signing it gets no second copy. But a statement is predictable, so anyone with write
// access to a sink could store a bundle with our statement and a broken signature first, and the sink
// would keep only that. A stored copy therefore counts as ours only if we could have made it: the same
// statement, a DSSE signature that verifies under its leaf certificate's key, a leaf certificate issued
// by the CA of the Fulcio that signed ours (checked against that Fulcio's documented
// `GET /api/v2/trustBundle`, valid at the copy's own signing time), and our certificate's identity (SAN
// and OIDC issuer). The CA is fetched only when a sink holds a bundle with our statement, once per run.
// This is no verification of the copy (no log or timestamp proof is checked): it only tells a re-run's
// copy from one someone else made; verify mode still checks whatever is stored.

import { verify, X509Certificate } from 'node:crypto';
import type { SerializedBundle } from '@sigstore/bundle';
import { RFC3161Timestamp, X509Certificate as SigstoreCertificate } from '@sigstore/core';
import { statementOf, type CopyCheck } from '../../common/attestation-identity.ts';
import { DEFAULT_RETRY, fetchAndRead, jsonBody, type RetryPolicy } from '../../http/retry.ts';
import { preAuthEncoding } from '../../common/dsse.ts';
import { isObject } from '../../common/json.ts';
import { decodeUTF8String } from '../../common/der-utf8-string.ts';

/** Fulcio's v2 OIDC issuer extension (a DER UTF8String), and the v1 one (the raw string). */
const OIDC_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
const OIDC_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';

/** Who a Fulcio certificate was issued to. */
interface Identity {
  san: string;
  issuer: string;
}

/** What a stored bundle must show to be ours, read from its JSON. */
interface Copy {
  leaf: X509Certificate;
  identity: Identity;
  preAuth: Buffer;
  signature: Buffer;
  signedAt: Date;
}

/**
 * The check for one attest run: `ours` are the bundles it signed, `fulcioURL` the Fulcio that issued
 * their certificates (SigningPlan.fulcioURL). The trust bundle is requested at most once, and only for
 * a stored bundle that signs one of our statements with a signature that verifies.
 */
export function ourCopyCheck(
  ours: readonly SerializedBundle[],
  fulcioURL: string,
  retry: RetryPolicy = DEFAULT_RETRY,
): CopyCheck {
  const identities = new Map<string, Identity>();
  for (const bundle of ours) {
    const statement = statementOf(bundle);
    const leaf = leafOf(bundle);
    const identity = leaf === undefined ? undefined : identityOf(leaf);
    if (statement !== undefined && identity !== undefined) identities.set(statement, identity);
  }
  let authorities: Promise<X509Certificate[]> | undefined;
  return async (stored) => {
    const statement = statementOf(stored);
    const wanted = statement === undefined ? undefined : identities.get(statement);
    const copy = wanted === undefined ? undefined : readCopy(stored);
    if (wanted === undefined || copy === undefined) return false;
    if (copy.identity.san !== wanted.san || copy.identity.issuer !== wanted.issuer) return false;
    if (!within(copy.leaf, copy.signedAt) || !verifies(copy.preAuth, copy.leaf, copy.signature)) return false;
    authorities ??= fulcioAuthorities(fulcioURL, retry);
    return issuedBy(copy.leaf, await authorities, copy.signedAt);
  };
}

/** The CA certificates of the Fulcio at `fulcioURL`, from its trust bundle; a failure is one line naming Fulcio. */
export async function fulcioAuthorities(
  fulcioURL: string,
  retry: RetryPolicy = DEFAULT_RETRY,
): Promise<X509Certificate[]> {
  const url = `${fulcioURL.replace(/\/+$/, '')}/api/v2/trustBundle`;
  return fetchAndRead(
    {
      service: 'Fulcio trust bundle (the CA that must have issued a stored copy of our attestation)',
      code: 'FULCIO_FAILED',
      hint: 'A sink already holds a bundle signing the same statement; the CA certificates are needed to tell whether it is ours. Re-run when Fulcio answers',
      url,
      init: { headers: { accept: 'application/json' } },
    },
    jsonBody('a trust bundle ({"chains":[{"certificates":[PEM, …]}]})', trustBundleCertificates),
    retry,
  );
}

/** Fulcio API v2 `TrustBundle`: `{"chains":[{"certificates":["-----BEGIN CERTIFICATE-----…"]}]}`; undefined if not that. */
export function trustBundleCertificates(value: unknown): X509Certificate[] | undefined {
  const chains = isObject(value) ? value['chains'] : undefined;
  if (!Array.isArray(chains)) return undefined;
  const certificates: X509Certificate[] = [];
  for (const chain of chains) {
    const pems = isObject(chain) ? chain['certificates'] : undefined;
    if (!Array.isArray(pems)) return undefined;
    for (const pem of pems) {
      if (typeof pem !== 'string') return undefined;
      try {
        certificates.push(new X509Certificate(pem));
      } catch {
        return undefined;
      }
    }
  }
  return certificates.length > 0 ? certificates : undefined;
}

function readCopy(stored: unknown): Copy | undefined {
  if (!isObject(stored)) return undefined;
  const envelope = stored['dsseEnvelope'];
  if (!isObject(envelope)) return undefined;
  const { payload, payloadType, signatures } = envelope;
  if (
    typeof payload !== 'string' ||
    typeof payloadType !== 'string' ||
    !Array.isArray(signatures) ||
    signatures.length !== 1
  )
    return undefined;
  const only: unknown = signatures[0];
  const sig = isObject(only) ? only['sig'] : undefined;
  const der = leafOf(stored);
  const signedAt = signingTime(stored);
  if (typeof sig !== 'string' || der === undefined || signedAt === undefined) return undefined;
  const identity = identityOf(der);
  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(der);
  } catch {
    return undefined;
  }
  if (identity === undefined) return undefined;
  return {
    leaf,
    identity,
    preAuth: preAuthEncoding(payloadType, Buffer.from(payload, 'base64')),
    signature: Buffer.from(sig, 'base64'),
    signedAt,
  };
}

/** The leaf certificate's DER: v0.3's `certificate`, or the first of an older bundle's chain. */
function leafOf(bundle: unknown): Buffer<ArrayBuffer> | undefined {
  const material = isObject(bundle) ? bundle['verificationMaterial'] : undefined;
  if (!isObject(material)) return undefined;
  const chain = material['x509CertificateChain'];
  const first: unknown = isObject(chain) && Array.isArray(chain['certificates']) ? chain['certificates'][0] : undefined;
  const certificate = isObject(material['certificate']) ? material['certificate'] : isObject(first) ? first : undefined;
  const raw = certificate?.['rawBytes'];
  return typeof raw === 'string' && raw !== '' ? Buffer.from(raw, 'base64') : undefined;
}

function identityOf(der: Buffer<ArrayBuffer>): Identity | undefined {
  try {
    const cert = SigstoreCertificate.parse(der);
    const v2 = cert.extension(OIDC_ISSUER_V2);
    const v1 = cert.extension(OIDC_ISSUER_V1);
    const issuer = v2 !== undefined ? decodeUTF8String(v2.value) : v1?.value.toString('utf8');
    const san = cert.subjectAltName;
    return san !== undefined && san !== '' && issuer !== undefined && issuer !== '' ? { san, issuer } : undefined;
  } catch {
    return undefined;
  }
}

/** When the copy says it was signed: its log entry's integrated time, else its RFC 3161 timestamp. */
function signingTime(bundle: Record<string, unknown>): Date | undefined {
  const material = bundle['verificationMaterial'];
  if (!isObject(material)) return undefined;
  const entries = material['tlogEntries'];
  const entry: unknown = Array.isArray(entries) ? entries[0] : undefined;
  const integrated = isObject(entry) ? entry['integratedTime'] : undefined;
  if ((typeof integrated === 'string' && /^\d+$/.test(integrated)) || typeof integrated === 'number')
    return new Date(Number(integrated) * 1000);
  const data = material['timestampVerificationData'];
  const stamps = isObject(data) ? data['rfc3161Timestamps'] : undefined;
  const stamp: unknown = Array.isArray(stamps) ? stamps[0] : undefined;
  const signed = isObject(stamp) ? stamp['signedTimestamp'] : undefined;
  if (typeof signed !== 'string') return undefined;
  try {
    return RFC3161Timestamp.parse(Buffer.from(signed, 'base64')).signingTime;
  } catch {
    return undefined;
  }
}

function verifies(data: Buffer, leaf: X509Certificate, signature: Buffer): boolean {
  try {
    return verify(null, data, leaf.publicKey, signature);
  } catch {
    return false;
  }
}

function within(cert: X509Certificate, at: Date): boolean {
  return cert.validFromDate.getTime() <= at.getTime() && at.getTime() <= cert.validToDate.getTime();
}

/** Signed by one of the CA's certificates, that certificate valid when the copy was signed. */
function issuedBy(leaf: X509Certificate, authorities: readonly X509Certificate[], at: Date): boolean {
  return authorities.some((ca) => {
    try {
      return within(ca, at) && leaf.checkIssued(ca) && leaf.verify(ca.publicKey);
    } catch {
      return false;
    }
  });
}
