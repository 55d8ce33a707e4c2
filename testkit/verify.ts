// Independent check of what the action produced: sigstore-js' own verifier against the local
// stack's trusted root, with an identity policy. If this accepts a bundle, so would any client
// of the public-good instance given the matching root.

import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { bundleFromJSON, type SerializedBundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import type { TrustedRootJSON } from './index.ts';

export function verifyWithSigstoreJs(
  bundle: SerializedBundle,
  trustedRoot: TrustedRootJSON,
  policy: { san: string; issuer: string },
): void {
  const material = toTrustMaterial(TrustedRoot.fromJSON(trustedRoot));
  // Protobuf-JSON omits empty lists: a bundle without timestamps has `timestampVerificationData: {}`.
  const logged = (bundle.verificationMaterial.tlogEntries ?? []).length > 0;
  const stamped = (bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps ?? []).length > 0;
  const verifier = new Verifier(material, {
    tlogThreshold: logged ? 1 : 0,
    ctlogThreshold: 1,
    tsaThreshold: stamped ? 1 : 0,
  });
  verifier.verify(toSignedEntity(bundleFromJSON(bundle)), {
    subjectAlternativeName: policy.san,
    extensions: { issuer: policy.issuer },
  });
}

/** Bundles from a `.sigstore.json` file (one, maybe pretty-printed) or a JSON Lines file (one per line). */
export function readBundles(text: string): SerializedBundle[] {
  if (text.trimStart().startsWith('{\n') || !text.trim().includes('\n')) return [JSON.parse(text) as SerializedBundle];
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as SerializedBundle);
}

export interface DecodedStatement {
  _type: string;
  subject: { name: string; digest: Record<string, string> }[];
  predicateType: string;
  predicate: Record<string, unknown>;
}

export function statementOf(bundle: SerializedBundle): DecodedStatement {
  if (!('dsseEnvelope' in bundle) || !bundle.dsseEnvelope) throw new Error('bundle has no DSSE envelope');
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8')) as DecodedStatement;
}

/**
 * Verifies the DSSE signature with openssl alone: the certificate's public key, the signature,
 * and the PAE bytes ("DSSEv1" SP len(type) SP type SP len(body) SP body) it covers.
 * Returns openssl's verdict line; throws when openssl rejects the signature.
 */
export async function verifyDSSEWithOpenSSL(bundle: SerializedBundle): Promise<string> {
  if (!('dsseEnvelope' in bundle) || !bundle.dsseEnvelope) throw new Error('bundle has no DSSE envelope');
  const material = bundle.verificationMaterial;
  const der = 'certificate' in material && material.certificate ? material.certificate.rawBytes : undefined;
  if (!der) throw new Error('bundle has no leaf certificate');
  const envelope = bundle.dsseEnvelope;
  const body = Buffer.from(envelope.payload, 'base64');
  const pae = Buffer.concat([
    Buffer.from(`DSSEv1 ${Buffer.byteLength(envelope.payloadType)} ${envelope.payloadType} ${body.length} `),
    body,
  ]);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dsse-openssl-'));
  try {
    const pem = `-----BEGIN CERTIFICATE-----\n${der.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
    await writeFile(path.join(dir, 'cert.pem'), pem);
    await writeFile(path.join(dir, 'pae.bin'), pae);
    await writeFile(path.join(dir, 'sig.der'), Buffer.from(envelope.signatures[0]?.sig ?? '', 'base64'));
    execFileSync('openssl', ['x509', '-in', 'cert.pem', '-pubkey', '-noout', '-out', 'pub.pem'], { cwd: dir });
    return execFileSync('openssl', ['dgst', '-sha256', '-verify', 'pub.pem', '-signature', 'sig.der', 'pae.bin'], {
      cwd: dir,
      encoding: 'utf8',
    }).trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
