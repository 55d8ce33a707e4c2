// The cached encodings are byte for byte what @sigstore/core would compute, so caching changes
// speed and never a verdict; a trusted certificate's remembered verdicts are its real ones.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ASN1Obj, X509Certificate } from '@sigstore/core';
import { encode, withCachedEncoding, withRememberedSignatures } from '../../../src/verify/crypto/certificate-cache.ts';
import { CORPUS } from './corpus.ts';

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
  for (const dir of readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const file of ['bundle.sigstore.json', 'trusted_root.json']) {
      try {
        walk(JSON.parse(readFileSync(path.join(CORPUS, dir.name, file), 'utf8')));
      } catch {
        // absent, or the malformed-JSON case
      }
    }
  }
  return [...found].map((b64) => Buffer.from(b64, 'base64'));
}

void describe('certificate cache', () => {
  void it("encodes every corpus certificate exactly as ASN1Obj.toDER does", () => {
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

  void it('remembers verdicts, good and bad, per issuer', () => {
    // This (rejected) bundle carries its whole chain: leaf, root, intermediate.
    const bundle = JSON.parse(readFileSync(path.join(CORPUS, 'bundle-with-root-cert_fail', 'bundle.sigstore.json'), 'utf8')) as { verificationMaterial: { x509CertificateChain: { certificates: { rawBytes: string }[] } } };
    const [leafDER, rootDER, intermediateDER] = bundle.verificationMaterial.x509CertificateChain.certificates.map((c) => Buffer.from(c.rawBytes, 'base64'));
    assert.ok(leafDER && intermediateDER && rootDER);
    const root = withRememberedSignatures(X509Certificate.parse(rootDER));
    const intermediate = withRememberedSignatures(X509Certificate.parse(intermediateDER));
    const leaf = X509Certificate.parse(leafDER);
    for (let i = 0; i < 2; i++) {
      assert.equal(root.verify(), true);
      assert.equal(intermediate.verify(root), true);
      assert.equal(intermediate.verify(leaf), false);
      assert.equal(intermediate.verify(), false);
    }
  });
});

function lengthOf(n: number): Buffer {
  if (n < 128) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
