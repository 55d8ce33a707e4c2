// A strict DER reader that builds the same tree as @sigstore/core's ASN1Obj.parseBuffer, without
// its costs: that parser allocates a stream per object and, for every OCTET STRING, tries to read
// the contents as nested DER and throws (an Error with a stack trace) when they are not — most
// certificate extension values. Here a failed attempt is a return value, and each object keeps
// the bytes it was read from as its encoding: the reader accepts only minimal lengths and
// children that fill their parent exactly, so re-encoding an object (ASN1Obj.toDER: tag, minimal
// length, value or children) gives back exactly those bytes. Whatever this reader refuses, the
// caller hands to @sigstore/core's parser, so a malformed input fails with its error, as before.

import { ASN1Obj } from '@sigstore/core';
import { ASN1TagClass as TagClass, type ASN1Tag as Tag } from '../crypto/sigstore-internals.ts';

// One tag per tag byte, shared by all objects (tags are never modified); undefined for the bytes
// ASN1Tag refuses: long-form tag numbers (0x1f) and universal tag 0.
const TAGS: readonly (Tag | undefined)[] = Array.from({ length: 256 }, (_, byte) =>
  (byte & 0x1f) === 0x1f || (byte >> 6 === 0 && (byte & 0x1f) === 0) ? undefined : new TagClass(byte),
);
const OCTET_STRING = 0x04;
// @sigstore/core's nesting limit (its parser refuses objects deeper than this).
const MAX_DEPTH = 100;

/** An ASN.1 object that encodes to the bytes it was read from. Never modified once read. */
class EncodedASN1 extends ASN1Obj {
  readonly #source: Buffer;
  readonly #start: number;
  #der: Buffer | undefined;
  #oid: string | undefined;

  constructor(tag: Tag, value: Buffer, subs: ASN1Obj[], source: Buffer, start: number) {
    super(tag, value, subs);
    this.#source = source;
    this.#start = start;
  }

  override toDER(): Buffer {
    // A copy, as ASN1Obj.toDER returns a new buffer: callers may edit it (the RFC 3161 check
    // rewrites the first byte of the signed attributes' encoding), and the tree must not change.
    this.#der ??= this.#source.subarray(
      this.#start,
      this.value.byteOffset - this.#source.byteOffset + this.value.length,
    );
    return Buffer.from(this.#der);
  }

  // Extension lookups read every extension's OID, several times per certificate; @sigstore/core
  // decodes each arc with BigInt arithmetic. Certificates carry the same few OIDs, so each
  // encoding is decoded once per thread.
  override toOID(): string {
    if (this.#oid === undefined) {
      if (!this.tag.isOID()) return super.toOID(); // throws, as there
      this.#oid = knownOID(this.value) ?? rememberOID(this.value, decodeOID(this.value) ?? super.toOID());
    }
    return this.#oid;
  }
}

// OID text by encoding, in buckets by a hash of the bytes; bounded, since certificates may carry
// any OIDs at all.
const OIDS = new Map<number, { bytes: Buffer; oid: string }[]>();
const MAX_OIDS = 4096;
let oidCount = 0;

function bytesHash(bytes: Buffer): number {
  let hash = 0x811c9dc5 ^ bytes.length;
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ (bytes[i] ?? 0), 0x01000193);
  return hash;
}

function knownOID(bytes: Buffer): string | undefined {
  for (const known of OIDS.get(bytesHash(bytes)) ?? []) if (known.bytes.equals(bytes)) return known.oid;
  return undefined;
}

function rememberOID(bytes: Buffer, oid: string): string {
  if (oidCount < MAX_OIDS) {
    const hash = bytesHash(bytes);
    const bucket = OIDS.get(hash) ?? [];
    // A copy: the certificate's buffer belongs to its bundle.
    bucket.push({ bytes: Buffer.from(bytes), oid });
    OIDS.set(hash, bucket);
    oidCount++;
  }
  return oid;
}

// parseOID's text, with Number arithmetic; undefined (for parseOID itself to decode) when the
// input is empty or an arc outgrows exact Number arithmetic. Like parseOID, the first byte is
// split by 40 and an unfinished last arc is dropped.
function decodeOID(value: Buffer): string | undefined {
  const head = value[0];
  if (head === undefined) return undefined;
  let oid = `${Math.floor(head / 40)}.${head % 40}`;
  let arc = 0;
  for (let i = 1; i < value.length; i++) {
    const byte = value[i] ?? 0;
    if (arc >= 2 ** 45) return undefined;
    arc = arc * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      oid += `.${arc}`;
      arc = 0;
    }
  }
  return oid;
}

/**
 * The object `der` holds, as ASN1Obj.parseBuffer would read it; undefined where that parser would
 * throw. Values and encodings are views into `der`, which the caller must not modify.
 */
export function readDER(der: Buffer): ASN1Obj | undefined {
  const read = readObject(der, 0, der.length, 0);
  return read && read.end === der.length ? read.obj : undefined;
}

function readObject(
  der: Buffer,
  start: number,
  limit: number,
  depth: number,
): { obj: ASN1Obj; end: number } | undefined {
  if (depth > MAX_DEPTH || start + 2 > limit) return undefined;
  const tagByte = der[start] ?? 0;
  const tag = TAGS[tagByte];
  if (!tag) return undefined;
  let length = der[start + 1] ?? 0;
  let offset = start + 2;
  if (length & 0x80) {
    // Long form: 1 to 6 length bytes (none is the indefinite form), no leading zero, and only for
    // lengths of 128 or more.
    const count = length & 0x7f;
    if (count === 0 || count > 6 || offset + count > limit || der[offset] === 0) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[offset + i] ?? 0);
    offset += count;
    if (length < 128) return undefined;
  }
  const end = offset + length;
  if (end > limit) return undefined;
  let subs: ASN1Obj[] = [];
  if (tag.constructed) {
    const children = readChildren(der, offset, end, depth);
    if (!children) return undefined;
    subs = children;
  } else if (tagByte === OCTET_STRING) {
    // Like @sigstore/core: an OCTET STRING whose contents are DER holds them as children.
    subs = readChildren(der, offset, end, depth) ?? [];
  }
  return { obj: new EncodedASN1(tag, der.subarray(offset, end), subs, der, start), end };
}

function readChildren(der: Buffer, start: number, end: number, depth: number): ASN1Obj[] | undefined {
  const subs: ASN1Obj[] = [];
  for (let at = start; at < end;) {
    const child = readObject(der, at, end, depth + 1);
    if (!child) return undefined;
    subs.push(child.obj);
    at = child.end;
  }
  return subs;
}
