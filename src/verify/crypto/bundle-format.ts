// Reads a Sigstore bundle (v0.1, v0.2, v0.3 in both media type spellings) into @sigstore/bundle's
// type, refusing what the parser would let through: other media types (its pattern accepts any
// "version=N.N"), bytes fields that are not base64 (protobuf's decoder skips bad characters),
// negative log indexes, and a certificate chain carrying its root (the bundle spec forbids it).
// Protobuf-JSON omits zero values and empty lists; the parser fills those in.

import { exceedsDepth, parseJSON } from '../../common/json.ts';
import type { X509Certificate } from '@sigstore/core';
import { bundleFromJSON, ValidationError, type Bundle } from '@sigstore/bundle';
import { VerificationError } from '../types.ts';
import { isBase64Strict } from './patches/base64.ts';
import { parseCertificate } from '../fast/certificate-cache.ts';
import { certificateShapeProblem } from './patches/certificate-shape.ts';

export const BUNDLE_MEDIA_TYPES: readonly string[] = [
  'application/vnd.dev.sigstore.bundle+json;version=0.1',
  'application/vnd.dev.sigstore.bundle+json;version=0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
  'application/vnd.dev.sigstore.bundle.v0.3+json',
];

// Field names that hold bytes anywhere in a bundle (certificate, log entry, timestamp, signature).
const BYTES_FIELDS = new Set([
  'rawBytes',
  'keyId',
  'signedEntryTimestamp',
  'rootHash',
  'hashes',
  'canonicalizedBody',
  'signedTimestamp',
  'digest',
  'signature',
  'payload',
  'sig',
]);
// Field names that hold non-negative int64 values (strings in protobuf-JSON).
const COUNT_FIELDS = new Set(['logIndex', 'integratedTime', 'treeSize']);

const fail = (expected: string, found: string, cause?: unknown): never => {
  throw new VerificationError({ check: 'bundle-format', expected, found }, { cause });
};

/** A bundle from its JSON text, its bytes, or the parsed JSON value. */
export function parseBundle(input: unknown): Bundle {
  const json = typeof input === 'string' || Buffer.isBuffer(input) ? bundleJSON(input.toString()) : input;
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return fail('a Sigstore bundle (a JSON object)', Array.isArray(json) ? 'a list' : String(json));
  const mediaType = (json as { mediaType?: unknown }).mediaType;
  if (typeof mediaType !== 'string' || !BUNDLE_MEDIA_TYPES.includes(mediaType)) {
    return fail(
      'a Sigstore bundle media type, v0.1 to v0.3',
      mediaType === undefined ? 'none' : JSON.stringify(mediaType),
    );
  }
  // Checked without recursion first: a bundle is a few levels deep, and a hostile one must not
  // exhaust the stack here (nor in the protobuf conversion after).
  if (exceedsDepth(json, MAX_BUNDLE_DEPTH))
    fail(`a bundle nested at most ${MAX_BUNDLE_DEPTH} levels deep`, 'deeper nesting');
  checkFields(json, 'bundle');
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(json);
  } catch (err) {
    const found =
      err instanceof ValidationError
        ? `missing or invalid ${err.fields.join(', ')}`
        : err instanceof Error
          ? err.message
          : String(err);
    return fail(`a complete ${mediaType.replace(/^application\/vnd\.dev\.sigstore\./, '')} bundle`, found, err);
  }
  checkCertificates(bundle);
  checkChain(bundle);
  return bundle;
}

// Every certificate the bundle carries must be an X.509 certificate in its issued shape.
function checkCertificates(bundle: Bundle): void {
  const content = bundle.verificationMaterial.content;
  const found: [string, Uint8Array][] =
    content.$case === 'certificate'
      ? [['verificationMaterial.certificate', content.certificate.rawBytes]]
      : content.$case === 'x509CertificateChain'
        ? content.x509CertificateChain.certificates.map((cert, i) => [
            `verificationMaterial.x509CertificateChain.certificates[${i}]`,
            cert.rawBytes,
          ])
        : [];
  for (const [where, der] of found) {
    const problem = certificateShapeProblem(der);
    if (problem)
      fail(
        `${where}: a DER X.509 certificate (SEQUENCE of tbsCertificate, signatureAlgorithm, signatureValue)`,
        problem,
      );
  }
}

function bundleJSON(text: string): unknown {
  const parsed = parseJSON(text);
  return parsed.ok ? parsed.value : fail('a Sigstore bundle (JSON)', `invalid JSON (${parsed.reason})`);
}

// Walks the JSON once; the field names are unambiguous within a bundle (the DSSE payload is one
// base64 string and is not descended into).
/** Far above any real bundle's nesting (about 6), far below what would exhaust the stack. */
export const MAX_BUNDLE_DEPTH = 64;

function checkFields(value: unknown, where: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkFields(item, `${where}[${i}]`));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, field] of Object.entries(value)) {
    const path = `${where}.${key}`;
    if (BYTES_FIELDS.has(key)) checkBytes(field, path);
    else if (COUNT_FIELDS.has(key)) checkCount(field, path);
    else checkFields(field, path);
  }
}

function checkBytes(value: unknown, where: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkBytes(item, `${where}[${i}]`));
  } else if (typeof value === 'string') {
    if (!isBase64Strict(value))
      fail(`${where} in base64`, `${JSON.stringify(value.slice(0, 40))}${value.length > 40 ? '…' : ''}`);
  } else if (value !== null && value !== undefined) {
    fail(`${where} in base64`, typeof value);
  }
}

function checkCount(value: unknown, where: string): void {
  const ok =
    typeof value === 'string'
      ? /^\d+$/.test(value)
      : typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
  if (!ok) fail(`${where}: a non-negative integer`, JSON.stringify(value));
}

// v0.1/v0.2 bundles may carry intermediates after the leaf, never the root: a chain that brings
// its own trust anchor invites verifiers to trust it.
function checkChain(bundle: Bundle): void {
  const content = bundle.verificationMaterial.content;
  if (content.$case !== 'x509CertificateChain') return;
  content.x509CertificateChain.certificates.forEach((cert, i) => {
    let parsed: X509Certificate;
    try {
      parsed = parseCertificate(Buffer.from(cert.rawBytes));
    } catch (err) {
      return fail(
        `verificationMaterial.x509CertificateChain.certificates[${i}]: a DER X.509 certificate`,
        'bytes that do not parse',
        err,
      );
    }
    if (parsed.subject.equals(parsed.issuer) && parsed.verify()) {
      fail(
        'a certificate chain without its root certificate',
        `a self-signed certificate at verificationMaterial.x509CertificateChain.certificates[${i}]`,
      );
    }
  });
}
