// What a verified Fulcio certificate says about its signer: the SAN and the 1.3.6.1.4.1.57264.1.*
// extensions, read exactly as written. v2 extensions (.8 onwards) hold a DER UTF8String; the
// legacy ones (.1 issuer, .2 trigger, .3 sha, .4 workflow name, .5 repository, .6 ref) hold the raw
// string. Where both exist the v2 value wins, as Fulcio writes the same claim into both. Fulcio
// wrote only the legacy ones until mid-2023, so on those certificates the repository comes from .5
// (the token's `repository`, OWNER/REPO): it is made into the URI .12 would hold, on the host of the
// SAN's workflow URI (which Fulcio built from the same token), so repository, owner and source-ref
// rules read 2022–2023 certificates as they read today's.

import type { X509Certificate } from '@sigstore/core';
import { decodeUTF8String } from '../../common/der-utf8-string.ts';
import { VerificationError, type CertificateFacts } from '../types.ts';

const FULCIO = '1.3.6.1.4.1.57264.1';
// Fulcio's otherName SAN for identities that are neither URI nor email (e.g. a username).
const OTHERNAME_USERNAME = `${FULCIO}.7`;

export function certificateFacts(cert: X509Certificate): CertificateFacts {
  const v2 = (n: number): string | undefined => utf8Extension(cert, `${FULCIO}.${n}`);
  const legacy = (n: number): string | undefined => cert.extension(`${FULCIO}.${n}`)?.value.toString('utf8');
  return {
    subjectAlternativeName: subjectAlternativeName(cert),
    issuer: v2(8) ?? legacy(1),
    buildSignerURI: v2(9),
    buildSignerDigest: v2(10),
    runnerEnvironment: v2(11),
    sourceRepositoryURI: v2(12) ?? legacyRepositoryURI(legacy(5), cert),
    sourceRepositoryDigest: v2(13) ?? legacy(3),
    sourceRepositoryRef: v2(14) ?? legacy(6),
    sourceRepositoryIdentifier: v2(15),
    sourceRepositoryOwnerURI: v2(16),
    sourceRepositoryOwnerIdentifier: v2(17),
    buildConfigURI: v2(18),
    buildConfigDigest: v2(19),
    buildTrigger: v2(20) ?? legacy(2),
    runInvocationURI: v2(21),
    sourceRepositoryVisibilityAtSigning: v2(22),
  };
}

const OWNER_REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

// `https://HOST/OWNER/REPO` from legacy .5, where the SAN is a workflow URI on HOST; else nothing.
function legacyRepositoryURI(repository: string | undefined, cert: X509Certificate): string | undefined {
  if (repository === undefined || !OWNER_REPO.test(repository)) return undefined;
  const san = cert.subjectAltName;
  const host =
    san === undefined ? undefined : /^https:\/\/([^/@\s]+)\/[^/\s]+\/[^/\s]+\/\.github\/workflows\//.exec(san)?.[1];
  return host === undefined ? undefined : `https://${host}/${repository}`;
}

function subjectAlternativeName(cert: X509Certificate): string {
  const san = cert.subjectAltName ?? cert.extSubjectAltName?.otherName(OTHERNAME_USERNAME);
  if (san === undefined || san === '') {
    throw new VerificationError({
      check: 'certificate-identity',
      expected: 'a subject alternative name (URI, email or Fulcio username) in the signing certificate',
      found: 'none',
    });
  }
  return san;
}

// Identity rules compare these strings exactly, so an extension we cannot read is a refusal,
// not an absent value.
function utf8Extension(cert: X509Certificate, oid: string): string | undefined {
  const ext = cert.extension(oid);
  if (!ext) return undefined;
  const value = ext.value;
  const decoded = decodeUTF8String(value);
  if (decoded === undefined) {
    throw new VerificationError({
      check: 'certificate-identity',
      expected: `certificate extension ${oid} as a DER UTF8String`,
      found: `bytes ${value.subarray(0, 16).toString('hex')}${value.length > 16 ? '…' : ''}`,
    });
  }
  return decoded;
}
