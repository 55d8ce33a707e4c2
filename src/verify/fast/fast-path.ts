// The common bundle, verified straight from its JSON: bundle v0.1 to v0.3 with an in-toto DSSE
// envelope, signed by a Fulcio certificate (`certificate`, or a chain of just the leaf), one
// Rekor entry (dsse 0.0.1 or intoto 0.0.2, what our signer, GitHub's attest action, npm and
// slsa-github-generator write) with an inclusion promise and, from v0.2 on, an inclusion proof
// with its checkpoint; no RFC 3161 timestamps. That is nearly every bundle verify mode sees, and
// sigstore-js spends more time on its way to the cryptography (protobuf objects, base64 copies,
// signed entities, Verifier stages, canonical JSON, checkpoint parsing) than the cryptography
// itself takes.
//
// This path only ever says PASS. It makes every check verifyBundleCrypto makes, by the same
// rules — the bundle format (what parseBundle and bundleFromJSON require of these fields), the
// statement, the log entry (its body against the envelope, the SET, the checkpoint and the
// Merkle path, and the proof's copies of the checkpoint), the certificate chain and SCTs at the
// trusted time (leafSigner, the full path's own signing-key stage), the DSSE signature, then the
// same VerifiedBundle — and returns undefined for anything else: a field it does not know, a
// shape it does not cover, or any check that does not pass. The caller then runs the full path,
// which passes or fails the bundle with its own error; this path cannot make a failure, nor a
// different result (__tests__/verify/fast/fast-path.test.ts compares the two over every corpus and
// thousands of mutants).

import { createHash, type KeyObject } from 'node:crypto';
import type { Envelope } from '@sigstore/bundle';
import type { X509Certificate } from '@sigstore/core';
import type { Trust, TrustedInstance } from '../trust/material.ts';
import type { VerifiedBundle } from '../types.ts';
import { isBase64Strict } from '../crypto/patches/base64.ts';
import { readCertificate } from './certificate-cache.ts';
import { certificateFacts } from '../crypto/certificate-facts.ts';
import {
  DIGITS,
  promiseVerified,
  proofVerified,
  verifies,
  type InclusionProof,
  type LogEntry,
} from '../crypto/log-inclusion.ts';
import { leafSigner } from './signing-key.ts';
import { IN_TOTO_PAYLOAD_TYPE, requireSubject, statementOf, type ArtifactInput } from '../crypto/statement.ts';
import { preAuthEncoding } from '../../common/dsse.ts';

type Json = Record<string, unknown>;

const V01 = 'application/vnd.dev.sigstore.bundle+json;version=0.1';
const MEDIA_TYPES: ReadonlySet<string> = new Set([
  V01,
  'application/vnd.dev.sigstore.bundle+json;version=0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
  'application/vnd.dev.sigstore.bundle.v0.3+json',
]);
// bundleFromJSON's assertBundleLatest (every media type but v0.1 and v0.2) refuses a certificate chain.
const CHAIN_MEDIA_TYPES: ReadonlySet<string> = new Set([V01, 'application/vnd.dev.sigstore.bundle+json;version=0.2']);

// The fields this path reads, per object; any other field (even one sigstore-js would ignore) sends
// the bundle to the full path.
const keys = (...names: string[]): ReadonlySet<string> => new Set(names);
const BUNDLE = keys('mediaType', 'verificationMaterial', 'dsseEnvelope');
const MATERIAL = keys('certificate', 'x509CertificateChain', 'tlogEntries', 'timestampVerificationData');
const RAW_BYTES = keys('rawBytes');
const CHAIN = keys('certificates');
const TIMESTAMPS = keys('rfc3161Timestamps');
const ENTRY = keys(
  'logIndex',
  'logId',
  'kindVersion',
  'integratedTime',
  'inclusionPromise',
  'inclusionProof',
  'canonicalizedBody',
);
const LOG_ID = keys('keyId');
const KIND_VERSION = keys('kind', 'version');
const PROMISE = keys('signedEntryTimestamp');
const PROOF = keys('logIndex', 'rootHash', 'treeSize', 'hashes', 'checkpoint');
const CHECKPOINT = keys('envelope');
const ENVELOPE = keys('payload', 'payloadType', 'signatures');
const SIGNATURE = keys('sig', 'keyid');

/** The bundle's fields as sigstore-js reads them (protobuf-JSON defaults filled in). */
interface CommonBundle {
  leaf: Buffer;
  entry: LogEntry;
  envelope: Envelope & { signatures: [{ sig: Buffer; keyid: string }] };
}

export interface FastOptions {
  key?: string;
  artifact?: ArtifactInput;
}

/**
 * The VerifiedBundle verifyBundleCrypto returns for `input` (JSON text, bytes, or parsed JSON),
 * when the bundle has the common shape and passes every check; otherwise undefined, and the full
 * path must decide.
 */
export function verifyBundleFast(input: unknown, trust: Trust, options: FastOptions = {}): VerifiedBundle | undefined {
  // A managed key's bundle (and a key given for a certificate's, which the full path refuses) is not common.
  if (options.key !== undefined) return undefined;
  try {
    const bundle = readBundle(
      typeof input === 'string' || Buffer.isBuffer(input) ? JSON.parse(input.toString()) : input,
    );
    if (!bundle) return undefined;
    const { envelope, entry } = bundle;
    // As parseBundle's chain check and CertificateChainVerifier read it: a self-issued leaf is
    // checked as a possible root, which is not the common case.
    const leaf = readCertificate(bundle.leaf);
    if (!leaf || leaf.subject.equals(leaf.issuer)) return undefined;
    // statementOf throws for a malformed statement, requireSubject for another artifact: the full path's failures.
    const statement = statementOf(envelope);
    if (!statement) return undefined;
    if (options.artifact) requireSubject(statement, options.artifact);
    const payloadDigest = createHash('sha256').update(envelope.payload).digest();
    const signature = envelope.signatures[0].sig;
    if (!bodyMatches(entry, signature, payloadDigest)) return undefined;
    // The Verifier's one timestamp: the entry's integrated time, which its inclusion promise signs.
    const signedAt = new Date(entry.integratedTime * 1000);
    let key: KeyObject | undefined;
    for (const instance of trust.instances) {
      key = signingKey(instance, entry, leaf, signedAt);
      if (key) break;
    }
    if (!key || !verifies(preAuthEncoding(envelope.payloadType, envelope.payload), key, signature)) return undefined;
    return {
      certificate: certificateFacts(leaf),
      signedAt,
      statement,
      messageDigest: undefined,
      statementDigest: payloadDigest.toString('hex'),
      // As the full path writes it (logEntryOf in verify-bundle.ts): the index in canonical decimal.
      logEntry: { logIndex: BigInt(entry.logIndex).toString(), logId: entry.keyId.toString('hex') },
    };
  } catch {
    // Whatever throws here (a certificate field that is not there, a check's own failure) throws
    // or fails in the full path too, which says what it was.
    return undefined;
  }
}

/**
 * The leaf's key when `instance` verifies the bundle's log entry and the leaf (chain and SCTs at
 * `signedAt`), as the Verifier's stages with the instance's thresholds would; else undefined.
 */
function signingKey(
  instance: TrustedInstance,
  entry: LogEntry,
  leaf: X509Certificate,
  signedAt: Date,
): KeyObject | undefined {
  const { material, options } = instance;
  // One timestamp and one log entry: thresholds above one are not the common case.
  if (options.timestampThreshold > 1 || options.tlogThreshold > 1) return undefined;
  if (!promiseVerified(entry, material.tlogs, signedAt)) return undefined;
  if (entry.proof && !proofVerified(entry, entry.proof, material.tlogs)) return undefined;
  return leafSigner(leaf, [signedAt], material, options.ctlogThreshold)?.key;
}

// verifyTLogBody for the two kinds this path takes: the body's kind and version are the entry's,
// its one signature is the envelope's, its payload hash the payload's SHA-256.
function bodyMatches(entry: LogEntry, signature: Buffer, payloadDigest: Buffer): boolean {
  let body: unknown;
  try {
    body = JSON.parse(entry.body.toString('utf8'));
  } catch {
    return false;
  }
  if (!isObject(body) || body['kind'] !== entry.kind || body['apiVersion'] !== entry.version) return false;
  const spec = body['spec'];
  if (!isObject(spec)) return false;
  if (entry.kind === 'dsse' && entry.version === '0.0.1') {
    const only = onlyElement(spec['signatures']);
    return (
      typeof only?.['signature'] === 'string' &&
      Buffer.from(only['signature'], 'base64').equals(signature) &&
      hashMatches(spec['payloadHash'], payloadDigest)
    );
  }
  if (entry.kind === 'intoto' && entry.version === '0.0.2') {
    const content = spec['content'];
    if (!isObject(content) || !isObject(content['envelope'])) return false;
    const only = onlyElement(content['envelope']['signatures']);
    // Base64 of the base64 signature in this kind's body.
    const sig = only?.['sig'];
    return (
      typeof sig === 'string' &&
      Buffer.from(Buffer.from(sig, 'base64').toString('utf-8'), 'base64').equals(signature) &&
      hashMatches(content['payloadHash'], payloadDigest)
    );
  }
  return false;
}

function onlyElement(list: unknown): Json | undefined {
  if (!Array.isArray(list) || list.length !== 1) return undefined;
  const only: unknown = list[0];
  return isObject(only) ? only : undefined;
}

// `{ value: hex }`, read as Buffer.from(value, 'hex') reads it.
function hashMatches(hash: unknown, digest: Buffer): boolean {
  return isObject(hash) && typeof hash['value'] === 'string' && Buffer.from(hash['value'], 'hex').equals(digest);
}

// --- Reading the JSON -----------------------------------------------------------------------

// The bundle's fields when it has the common shape and every field is as parseBundle (format
// checks, then bundleFromJSON for its media type) would accept it; otherwise undefined.
function readBundle(json: unknown): CommonBundle | undefined {
  const bundle = record(json, BUNDLE);
  const mediaType = bundle?.['mediaType'];
  if (!bundle || typeof mediaType !== 'string' || !MEDIA_TYPES.has(mediaType)) return undefined;
  const material = record(bundle['verificationMaterial'], MATERIAL);
  if (!material || !noTimestamps(material['timestampVerificationData'])) return undefined;
  const leaf = leafOf(material, mediaType);
  const entries = material['tlogEntries'];
  const entry = Array.isArray(entries) && entries.length === 1 ? logEntry(entries[0], mediaType) : undefined;
  const envelope = dsseEnvelope(bundle['dsseEnvelope']);
  return leaf && entry && envelope ? { leaf, entry, envelope } : undefined;
}

function noTimestamps(value: unknown): boolean {
  // Protobuf-JSON's null is "not set" (npm's v0.1 bundles say so); checkFields lets it through.
  if (value === undefined || value === null) return true;
  const data = record(value, TIMESTAMPS);
  const list = data?.['rfc3161Timestamps'];
  return data !== undefined && (list === undefined || (Array.isArray(list) && list.length === 0));
}

// `certificate`, or (up to v0.2) a chain of the leaf alone; not both (protobuf would pick the chain).
function leafOf(material: Json, mediaType: string): Buffer | undefined {
  const single = material['certificate'];
  const chain = material['x509CertificateChain'];
  if (single !== undefined) return chain === undefined ? rawBytes(single) : undefined;
  if (!CHAIN_MEDIA_TYPES.has(mediaType)) return undefined;
  const certificates = record(chain, CHAIN)?.['certificates'];
  return Array.isArray(certificates) && certificates.length === 1 ? rawBytes(certificates[0]) : undefined;
}

function rawBytes(value: unknown): Buffer | undefined {
  const der = bytes(record(value, RAW_BYTES)?.['rawBytes']);
  return der && der.length > 0 ? der : undefined;
}

function logEntry(value: unknown, mediaType: string): LogEntry | undefined {
  const entry = record(value, ENTRY);
  if (!entry) return undefined;
  const logIndex = count(entry['logIndex']);
  const integratedTime = count(entry['integratedTime']);
  const keyId = bytes(record(entry['logId'], LOG_ID)?.['keyId']);
  const kindVersion = record(entry['kindVersion'], KIND_VERSION);
  const kind = kindVersion?.['kind'];
  const version = kindVersion?.['version'];
  const signedEntryTimestamp = bytes(record(entry['inclusionPromise'], PROMISE)?.['signedEntryTimestamp']);
  const body = bytes(entry['canonicalizedBody']);
  if (
    logIndex === undefined ||
    integratedTime === undefined ||
    !keyId?.length ||
    typeof kind !== 'string' ||
    typeof version !== 'string'
  )
    return undefined;
  if (!signedEntryTimestamp?.length || !body?.length) return undefined;
  // A time the promise signs and a Date holds ("0" would not count as a time at all), an index
  // that survives Number() as the SET's canonical JSON reads it.
  if (!/^[1-9]\d{0,11}$/.test(integratedTime) || Number(logIndex) > Number.MAX_SAFE_INTEGER) return undefined;
  let proof: InclusionProof | undefined;
  if (entry['inclusionProof'] !== undefined) {
    proof = inclusionProof(entry['inclusionProof']);
    if (!proof) return undefined;
  } else if (mediaType !== V01) {
    return undefined; // from v0.2 on, bundleFromJSON requires the proof
  }
  return {
    logIndex: Number(logIndex),
    keyId,
    kind,
    version,
    integratedTime: Number(integratedTime),
    signedEntryTimestamp,
    proof,
    body,
  };
}

function inclusionProof(value: unknown): InclusionProof | undefined {
  const proof = record(value, PROOF);
  if (!proof) return undefined;
  const logIndex = count(proof['logIndex']);
  const treeSize = count(proof['treeSize']);
  const rootHash = proof['rootHash'] === undefined ? Buffer.alloc(0) : bytes(proof['rootHash']);
  const list = proof['hashes'] ?? [];
  const checkpoint = record(proof['checkpoint'], CHECKPOINT)?.['envelope'];
  if (
    logIndex === undefined ||
    treeSize === undefined ||
    !rootHash ||
    !Array.isArray(list) ||
    typeof checkpoint !== 'string'
  )
    return undefined;
  const hashes: Buffer[] = [];
  for (const item of list as unknown[]) {
    const hash = bytes(item);
    if (!hash) return undefined;
    hashes.push(hash);
  }
  return { logIndex: BigInt(logIndex), rootHash, treeSize, hashes, checkpoint };
}

function dsseEnvelope(value: unknown): CommonBundle['envelope'] | undefined {
  const envelope = record(value, ENVELOPE);
  if (!envelope) return undefined;
  const payload = bytes(envelope['payload']);
  const list = envelope['signatures'];
  const signature = Array.isArray(list) && list.length === 1 ? record(list[0], SIGNATURE) : undefined;
  const sig = bytes(signature?.['sig']);
  const keyid = signature?.['keyid'] ?? '';
  if (!payload?.length || !sig?.length || typeof keyid !== 'string' || envelope['payloadType'] !== IN_TOTO_PAYLOAD_TYPE)
    return undefined;
  return { payload, payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: [{ sig, keyid }] };
}

/** An object with no fields but `allowed`; undefined otherwise. */
function record(value: unknown, allowed: ReadonlySet<string>): Json | undefined {
  if (!isObject(value)) return undefined;
  for (const key of Object.keys(value)) if (!allowed.has(key)) return undefined;
  return value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// A bytes field as parseBundle accepts it (strict base64) and protobuf decodes it; a missing one is not common.
function bytes(value: unknown): Buffer | undefined {
  return typeof value === 'string' && isBase64Strict(value) ? Buffer.from(value, 'base64') : undefined;
}

// An int64 field as protobuf reads it (its String, "0" when absent), where parseBundle accepts it.
function count(value: unknown): string | undefined {
  if (value === undefined) return '0';
  if (typeof value === 'string') return DIGITS.test(value) ? value : undefined;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined;
}
