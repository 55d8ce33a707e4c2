// Builders for the two Sigstore client-configuration documents a local stack hands out: the trusted root
// (what a verifier trusts) and the signing config (where a signer sends requests). Both are produced in
// their protobuf-JSON form, exactly what `TrustedRoot.fromJSON` / `SigningConfig.fromJSON` from
// `@sigstore/protobuf-specs` read and what a user would put in a file.
import { createHash } from 'node:crypto';

export const TRUSTED_ROOT_MEDIA_TYPE = 'application/vnd.dev.sigstore.trustedroot+json;version=0.1';
export const SIGNING_CONFIG_MEDIA_TYPE = 'application/vnd.dev.sigstore.signingconfig.v0.2+json';

export interface TimeRangeJSON {
  start: string;
  end?: string;
}

export interface CertificateAuthorityJSON {
  subject: { organization: string; commonName: string };
  uri: string;
  certChain: { certificates: { rawBytes: string }[] };
  validFor: TimeRangeJSON;
  operator: string;
}

export interface TransparencyLogInstanceJSON {
  baseUrl: string;
  hashAlgorithm: 'SHA2_256';
  publicKey: { rawBytes: string; keyDetails: string; validFor: TimeRangeJSON };
  logId: { keyId: string };
  operator: string;
}

export interface TrustedRootJSON {
  mediaType: typeof TRUSTED_ROOT_MEDIA_TYPE;
  tlogs: TransparencyLogInstanceJSON[];
  certificateAuthorities: CertificateAuthorityJSON[];
  ctlogs: TransparencyLogInstanceJSON[];
  timestampAuthorities: CertificateAuthorityJSON[];
}

export interface ServiceJSON {
  url: string;
  majorApiVersion: number;
  validFor: TimeRangeJSON;
  operator: string;
}

export interface ServiceConfigurationJSON {
  selector: 'ANY' | 'EXACT' | 'ALL';
  count?: number;
}

export interface SigningConfigJSON {
  mediaType: typeof SIGNING_CONFIG_MEDIA_TYPE;
  caUrls: ServiceJSON[];
  oidcUrls: ServiceJSON[];
  rekorTlogUrls: ServiceJSON[];
  tsaUrls: ServiceJSON[];
  rekorTlogConfig?: ServiceConfigurationJSON;
  tsaConfig?: ServiceConfigurationJSON;
}

export const OPERATOR = 'provenance-action testkit';

const bytesOf = (view: ArrayBufferView): Buffer => Buffer.from(view.buffer, view.byteOffset, view.byteLength);
const b64 = (view: ArrayBufferView): string => bytesOf(view).toString('base64');

// Rekor's and the CT log's log ID is the SHA-256 of the key's DER SubjectPublicKeyInfo; verifiers match
// entries and SCTs to trusted keys by it.
export function logIdOf(spkiDER: ArrayBufferView): string {
  return createHash('sha256').update(bytesOf(spkiDER)).digest('base64');
}

export function certificateAuthority(
  name: { organization: string; commonName: string },
  uri: string,
  chainLeafFirst: ArrayBufferView[],
  validFor: TimeRangeJSON,
): CertificateAuthorityJSON {
  return {
    subject: name,
    uri,
    certChain: { certificates: chainLeafFirst.map((der) => ({ rawBytes: b64(der) })) },
    validFor,
    operator: OPERATOR,
  };
}

// keyDetails is fixed to P-256: the mock's Rekor and CT log sign with ECDSA/SHA-256 and callers must give them
// P-256 keys.
export function transparencyLog(
  baseUrl: string,
  spkiDER: ArrayBufferView,
  validFor: TimeRangeJSON,
  logId: string = logIdOf(spkiDER),
): TransparencyLogInstanceJSON {
  return {
    baseUrl,
    hashAlgorithm: 'SHA2_256',
    publicKey: { rawBytes: b64(spkiDER), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor },
    logId: { keyId: logId },
    operator: OPERATOR,
  };
}

export function service(url: string, validFor: TimeRangeJSON): ServiceJSON {
  return { url, majorApiVersion: 1, validFor, operator: OPERATOR };
}
