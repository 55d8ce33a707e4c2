// The cached encodings are byte for byte what @sigstore/core would compute, so caching changes
// speed and never a verdict; a certificate read by readCertificate answers every question as
// X509Certificate.parse's does; remembered verdicts are the real ones.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ASN1Obj, EXTENSION_OID_SCT, X509Certificate } from '@sigstore/core';
import {
  encode,
  parseCertificate,
  readCertificate,
  withCachedEncoding,
  withRememberedSignatures,
} from '../../../src/verify/fast/certificate-cache.ts';
import { CORPUS, corpusDocuments } from '../crypto/corpus.ts';

// Every certificate in the corpus: leaves from bundles, CA and TSA chains from trusted roots.
function corpusCertificates(): Buffer<ArrayBuffer>[] {
  const found = new Set<string>();
  // rawBytes under "certificate" or "certificates" (public keys have rawBytes too).
  const walk = (value: unknown, inCertificate = false): void => {
    if (Array.isArray(value)) value.forEach((v) => walk(v, inCertificate));
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'rawBytes' && inCertificate && typeof v === 'string') found.add(v);
        else walk(v, k === 'certificate' || k === 'certificates');
      }
    }
  };
  for (const document of corpusDocuments()) walk(document);
  return [...found].map((b64) => Buffer.from(b64, 'base64'));
}

void describe('certificate cache', () => {
  void it('encodes every corpus certificate exactly as ASN1Obj.toDER does', () => {
    const certs = corpusCertificates();
    assert.ok(certs.length > 20, `${certs.length} certificates`);
    for (const der of certs) {
      let cert: X509Certificate;
      try {
        cert = X509Certificate.parse(der);
      } catch {
        continue; // deliberately broken fixtures
      }
      assert.deepEqual(encode(cert.root), cert.root.toDER());
      const cached = withCachedEncoding(X509Certificate.parse(der));
      assert.deepEqual(cached.root.toDER(), cert.root.toDER());
      assert.deepEqual(cached.tbsCertificate.toDER(), cert.tbsCertificate.toDER());
      assert.deepEqual(cached.publicKey, cert.publicKey);
    }
  });

  void it('encodes long lengths like @sigstore/core (two- and three-byte forms)', () => {
    for (const size of [127, 128, 255, 256, 65535, 65536]) {
      const obj = ASN1Obj.parseBuffer(Buffer.concat([Buffer.from([0x04]), lengthOf(size), Buffer.alloc(size, 7)]));
      assert.deepEqual(encode(obj), obj.toDER(), String(size));
    }
  });

  void it('reads every corpus certificate as X509Certificate.parse does', () => {
    const parsed = corpusCertificates().flatMap((der) => {
      try {
        return [{ der, theirs: X509Certificate.parse(der) }];
      } catch {
        return []; // deliberately broken fixtures
      }
    });
    const everyOID = [
      ...new Set(parsed.flatMap(({ theirs }) => theirs.extensions.map((e) => e.subs[0]?.toOID() ?? ''))),
    ];
    for (const { der, theirs } of parsed) {
      const ours = readCertificate(der);
      assert.ok(ours, 'read');
      assert.deepEqual(ours.root.toDER(), theirs.root.toDER());
      assert.deepEqual(ours.tbsCertificate.toDER(), theirs.tbsCertificate.toDER());
      assert.deepEqual(ours.publicKey, theirs.publicKey);
      assert.deepEqual(
        [ours.subject, ours.issuer, ours.serialNumber, ours.signatureValue],
        [theirs.subject, theirs.issuer, theirs.serialNumber, theirs.signatureValue],
      );
      assert.deepEqual(
        [ours.notBefore, ours.notAfter, ours.signatureAlgorithm, ours.subjectAltName, ours.isCA],
        [theirs.notBefore, theirs.notAfter, theirs.signatureAlgorithm, theirs.subjectAltName, theirs.isCA],
      );
      // Every extension any certificate has, present here or not, is found (or not) alike.
      for (const oid of [...everyOID, '1.2.3.4'])
        assert.deepEqual(ours.extension(oid)?.value, theirs.extension(oid)?.value, oid);
      assert.equal(ours.verify(), theirs.verify());
      assert.equal(ours.verify(ours), theirs.verify(theirs));
    }
  });

  void it("clones as the SCT check needs: the copy's extension list can be edited, the original stays", () => {
    let checked = 0;
    for (const der of corpusCertificates()) {
      const ours = readCertificate(der);
      if (!ours?.extSCT) continue;
      const theirs = X509Certificate.parse(der);
      const [ourClone, theirClone] = [ours.clone(), theirs.clone()];
      // As verifySCTs does: drop the SCT extension, encode the TBS part.
      for (const clone of [ourClone, theirClone]) {
        const at = clone.extensions.findIndex((ext) => ext.subs[0]?.toOID() === EXTENSION_OID_SCT);
        clone.extensions.splice(at, 1);
      }
      assert.deepEqual(ourClone.tbsCertificate.toDER(), theirClone.tbsCertificate.toDER());
      assert.notDeepEqual(ourClone.tbsCertificate.toDER(), ours.tbsCertificate.toDER());
      assert.deepEqual(ours.root.toDER(), der, 'the original is unchanged');
      assert.ok(ours.extSCT, 'and keeps its SCT extension');
      checked++;
    }
    assert.ok(checked > 5, `${checked} certificates with SCTs`);
  });

  void it("fails on bytes that are not a certificate with @sigstore/core's own error", () => {
    const bytes = Buffer.from([0x30, 0x03, 0x02, 0x01]);
    assert.equal(readCertificate(bytes), undefined);
    assert.throws(
      () => parseCertificate(bytes),
      (err: unknown) => {
        assert.throws(() => X509Certificate.parse(bytes), { message: (err as Error).message });
        return true;
      },
    );
  });

  void it('remembers verdicts, good and bad, per issuer', () => {
    // This (rejected) bundle carries its whole chain: leaf, root, intermediate.
    const bundle = JSON.parse(
      readFileSync(path.join(CORPUS, 'bundle-with-root-cert_fail', 'bundle.sigstore.json'), 'utf8'),
    ) as { verificationMaterial: { x509CertificateChain: { certificates: { rawBytes: string }[] } } };
    const [leafDER, rootDER, intermediateDER] = bundle.verificationMaterial.x509CertificateChain.certificates.map((c) =>
      Buffer.from(c.rawBytes, 'base64'),
    );
    assert.ok(leafDER && intermediateDER && rootDER);
    // Both kinds: sigstore-parsed certificates wrapped, and certificates read here (which remember by themselves).
    for (const parse of [(der: Buffer<ArrayBuffer>) => X509Certificate.parse(der), parseCertificate]) {
      const root = withRememberedSignatures(parse(rootDER));
      const intermediate = withRememberedSignatures(parse(intermediateDER));
      const leaf = parse(leafDER);
      for (let i = 0; i < 2; i++) {
        assert.equal(root.verify(), true);
        assert.equal(intermediate.verify(root), true);
        assert.equal(intermediate.verify(leaf), false);
        assert.equal(intermediate.verify(), false);
        assert.equal(leaf.verify(root), false);
      }
    }
  });
});

function lengthOf(n: number): Buffer {
  if (n < 128) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
