// The trusted root document as it travels (protobuf-JSON of dev.sigstore.trustroot.v1.TrustedRoot):
// what verify mode trusts — certificate authorities, transparency logs, CT logs and timestamp
// authorities, each with the interval in which it is trusted. Only roots that passed
// validateTrustedRoot carry this type.

/** Media types of the trusted root versions we read: the legacy spelling and the v0.1/v0.2 ones. */
export const TRUSTED_ROOT_MEDIA_TYPES: readonly string[] = [
  'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  'application/vnd.dev.sigstore.trustedroot.v0.1+json',
  'application/vnd.dev.sigstore.trustedroot.v0.2+json',
];

/** RFC 3339 times; `end` absent means "still trusted". Both ends are inclusive. */
export interface TimeRangeJSON {
  start: string;
  end?: string;
}

export interface PublicKeyJSON {
  rawBytes: string; // base64 DER (SubjectPublicKeyInfo, or PKCS#1 for the PKCS1_* key details)
  keyDetails?: string; // e.g. PKIX_ECDSA_P256_SHA_256, PKIX_ED25519; protobuf-JSON omits UNSPECIFIED
  validFor: TimeRangeJSON;
}

export interface TransparencyLogInstanceJSON {
  baseUrl: string;
  hashAlgorithm?: string;
  publicKey: PublicKeyJSON;
  logId: { keyId: string };
  checkpointKeyId?: { keyId: string };
  operator?: string;
}

export interface CertificateAuthorityJSON {
  subject?: { organization?: string; commonName?: string };
  uri?: string;
  certChain: { certificates: { rawBytes: string }[] }; // leaf (issuing CA) first, trust anchor last
  validFor: TimeRangeJSON;
  operator?: string;
}

export interface TrustedRootJSON {
  mediaType: string;
  tlogs: TransparencyLogInstanceJSON[];
  certificateAuthorities: CertificateAuthorityJSON[];
  ctlogs: TransparencyLogInstanceJSON[];
  timestampAuthorities: CertificateAuthorityJSON[];
}
