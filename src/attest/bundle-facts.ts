// What a person wants to see about a signed bundle: who signed it (the certificate's identity)
// and where its signing time is anchored (a log entry or a timestamp). Read from the bundle
// itself so the summary shows what consumers will see.

import type { SerializedBundle } from '@sigstore/bundle';
import { RFC3161Timestamp, X509Certificate } from '@sigstore/core';

export interface BundleFacts {
  signer: string | undefined; // the certificate's SAN, e.g. https://github.com/o/r/.github/workflows/x.yml@refs/tags/v1
  logIndexes: string[];
  timestamps: string[]; // ISO times from RFC 3161 tokens
}

const OIDC_ISSUER_OID = '1.3.6.1.4.1.57264.1.8';

export function bundleFacts(bundle: SerializedBundle): BundleFacts & { issuer: string | undefined } {
  const material = bundle.verificationMaterial;
  const raw = 'certificate' in material && material.certificate ? material.certificate.rawBytes : undefined;
  const cert = raw ? X509Certificate.parse(Buffer.from(raw, 'base64')) : undefined;
  const issuerExt = cert?.extension(OIDC_ISSUER_OID);
  return {
    signer: cert?.subjectAltName,
    issuer: issuerExt ? derUtf8(issuerExt.value) : undefined,
    logIndexes: (material.tlogEntries ?? []).map((e) => e.logIndex),
    timestamps: (material.timestampVerificationData?.rfc3161Timestamps ?? []).map((t) =>
      RFC3161Timestamp.parse(Buffer.from(t.signedTimestamp, 'base64')).signingTime.toISOString(),
    ),
  };
}

/** Fulcio's v2 extensions hold a DER UTF8String; strip its tag and length. */
function derUtf8(value: Buffer): string {
  if (value[0] !== 0x0c) return value.toString('utf8');
  const first = value[1] ?? 0;
  const offset = first < 0x80 ? 2 : 2 + (first & 0x7f);
  return value.subarray(offset).toString('utf8');
}
