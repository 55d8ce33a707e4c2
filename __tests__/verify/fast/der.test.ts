// The strict DER reader builds exactly the tree @sigstore/core's parser builds (tags, values,
// children, encodings, OIDs) or refuses what that parser refuses; it may refuse more only where
// the caller falls back to that parser. Checked on every certificate and timestamp token in the
// corpus, and on thousands of corruptions of them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ASN1Obj } from '@sigstore/core';
import { readDER } from '../../../src/verify/fast/der.ts';
import { corpusDocuments } from '../crypto/corpus.ts';

// DER blobs of the corpus: certificates (rawBytes) and RFC 3161 tokens (signedTimestamp).
function corpusDER(): Buffer<ArrayBuffer>[] {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if ((k === 'rawBytes' || k === 'signedTimestamp') && typeof v === 'string') found.add(v);
        else walk(v);
      }
    }
  };
  for (const document of corpusDocuments()) walk(document);
  return [...found].map((b64) => Buffer.from(b64, 'base64'));
}

/** @sigstore/core's tree, or undefined where it throws. */
function sigstoreTree(der: Buffer<ArrayBuffer>): ASN1Obj | undefined {
  try {
    return ASN1Obj.parseBuffer(der);
  } catch {
    return undefined;
  }
}

function assertSameTree(ours: ASN1Obj, theirs: ASN1Obj, where = 'root'): void {
  assert.equal(ours.tag.toDER(), theirs.tag.toDER(), `${where}: tag`);
  assert.deepEqual(ours.value, theirs.value, `${where}: value`);
  assert.equal(ours.subs.length, theirs.subs.length, `${where}: children`);
  // The encoding each keeps is what @sigstore/core computes from the tree.
  assert.deepEqual(ours.toDER(), ASN1Obj.prototype.toDER.call(theirs), `${where}: encoding`);
  if (theirs.tag.isOID()) assert.equal(ours.toOID(), theirs.toOID(), `${where}: OID`);
  ours.subs.forEach((sub, i) =>
    assertSameTree(sub, theirs.subs[i] ?? assert.fail(`${where}[${i}] missing`), `${where}[${i}]`),
  );
}

function compare(der: Buffer<ArrayBuffer>, label: string): 'read' | 'refused' {
  const ours = readDER(der);
  const theirs = sigstoreTree(Buffer.from(der));
  if (ours === undefined) {
    // Refusing is always safe (the caller asks @sigstore/core), but it should be for the same input.
    assert.equal(theirs, undefined, `${label}: refused what @sigstore/core reads`);
    return 'refused';
  }
  assert.ok(theirs, `${label}: read what @sigstore/core refuses`);
  assertSameTree(ours, theirs, label);
  return 'read';
}

// A deterministic stream of numbers, so a failure names an input that can be replayed.
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
}

void describe('readDER', () => {
  const blobs = corpusDER();

  void it('reads every corpus certificate and timestamp token as @sigstore/core does', () => {
    assert.ok(blobs.length > 30, `${blobs.length} blobs`);
    for (const [i, der] of blobs.entries()) compare(der, `blob ${i}`);
  });

  void it('hands out encodings that a caller may edit without changing the tree', () => {
    const der = blobs[0] ?? assert.fail('no blob');
    const obj = readDER(der) ?? assert.fail('not read');
    const inner = obj.subs[0] ?? assert.fail('no child');
    const encoded = inner.toDER();
    encoded[0] = 0x31; // as the RFC 3161 check does to the signed attributes' encoding
    assert.notEqual(inner.toDER()[0], 0x31);
    assert.deepEqual(obj.toDER(), der);
  });

  void it('agrees on corrupted input: flipped bytes, truncations, trailing data', () => {
    const next = prng(6);
    const outcomes = { read: 0, refused: 0 };
    for (const [i, der] of blobs.entries()) {
      for (let n = 0; n < 60; n++) {
        const bad = Buffer.from(der);
        const at = next() % bad.length;
        // Mostly tag and length bytes matter: small values and bits near the top.
        bad[at] = [0x00, 0x04, 0x30, 0x80, 0x81, 0x82, 0xff, next() & 0xff][next() % 8] ?? 0;
        outcomes[compare(bad, `blob ${i}, byte ${at} = ${bad[at]}`)]++;
      }
      outcomes[compare(der.subarray(0, next() % der.length), `blob ${i} truncated`)]++;
      outcomes[compare(Buffer.concat([der, Buffer.from([0x05, 0x00])]), `blob ${i} with trailing data`)]++;
    }
    // Both kinds happen: the corruptions exercise refusal and acceptance alike.
    assert.ok(outcomes.read > 100 && outcomes.refused > 100, JSON.stringify(outcomes));
  });

  void it('agrees on the edges of the length and tag rules', () => {
    const cases: [string, number[]][] = [
      ['short form', [0x04, 0x02, 0x05, 0x00]],
      ['long form for a short length', [0x04, 0x81, 0x02, 0x05, 0x00]],
      ['long form with a leading zero', [0x04, 0x82, 0x00, 0x80, ...new Array<number>(128).fill(1)]],
      ['indefinite length', [0x30, 0x80, 0x00, 0x00]],
      ['seven length bytes', [0x04, 0x87, 1, 1, 1, 1, 1, 1, 1]],
      ['long form', [0x04, 0x81, 0x80, ...new Array<number>(128).fill(1)]],
      ['long-form tag number', [0x1f, 0x01, 0x00]],
      ['universal tag 0', [0x00, 0x00]],
      ['context tag 0', [0x80, 0x00]],
      ['empty', []],
      ['an OCTET STRING of DER', [0x04, 0x04, 0x30, 0x02, 0x05, 0x00]],
      ['an OCTET STRING of almost DER', [0x04, 0x04, 0x30, 0x03, 0x05, 0x00]],
      ['an empty OCTET STRING', [0x04, 0x00]],
      ['an OID with a long arc', [0x06, 0x0a, 0x2b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]],
      ['an OID with an unfinished arc', [0x06, 0x03, 0x2b, 0x06, 0x81]],
      ['an empty OID', [0x06, 0x00]],
    ];
    for (const [label, bytes] of cases) compare(Buffer.from(bytes), label);
    // Nesting beyond @sigstore/core's limit.
    const deep = (depth: number): Buffer<ArrayBuffer> =>
      depth === 0 ? Buffer.from([0x05, 0x00]) : wrap(deep(depth - 1));
    const wrap = (inner: Buffer<ArrayBuffer>): Buffer<ArrayBuffer> =>
      Buffer.concat([Buffer.from([0x30]), lengthOf(inner.length), inner]);
    for (const depth of [99, 100, 101, 102]) compare(deep(depth), `depth ${depth}`);
  });
});

function lengthOf(n: number): Buffer<ArrayBuffer> {
  if (n < 128) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
