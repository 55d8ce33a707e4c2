// Image references parsed with Docker's rules, and the transport each registry gets.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProvenanceError } from '../../src/common/errors.ts';
import { assertSecureURL, isLoopbackHost, registryBaseURL } from '../../src/registry/endpoint.ts';
import { formatReference, parseImageReference } from '../../src/registry/reference.ts';

const D = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('parseImageReference', () => {
  const valid: [string, string, string, string | undefined, string | undefined][] = [
    ['ubuntu', 'docker.io', 'library/ubuntu', undefined, undefined],
    ['ubuntu:22.04', 'docker.io', 'library/ubuntu', '22.04', undefined],
    ['owner/app', 'docker.io', 'owner/app', undefined, undefined],
    ['index.docker.io/library/nginx:1', 'docker.io', 'library/nginx', '1', undefined],
    ['docker.io/nginx', 'docker.io', 'library/nginx', undefined, undefined],
    ['ghcr.io/owner/app:1.2.3', 'ghcr.io', 'owner/app', '1.2.3', undefined],
    ['localhost/app', 'localhost', 'app', undefined, undefined],
    [`localhost:5000/app@${D}`, 'localhost:5000', 'app', undefined, D],
    [`127.0.0.1:5000/a/b-c/d__e.f:v_1@${D}`, '127.0.0.1:5000', 'a/b-c/d__e.f', 'v_1', D],
    ['[::1]:5000/app:x', '[::1]:5000', 'app', 'x', undefined],
    ['Registry/app', 'Registry', 'app', undefined, undefined],
    ['example.com:443/team/app', 'example.com:443', 'team/app', undefined, undefined],
  ];
  for (const [text, registry, repository, tag, digest] of valid) {
    it(`reads ${text}`, () => {
      assert.deepEqual(parseImageReference(text), { registry, repository, tag, digest });
    });
  }

  const invalid: [string, RegExp][] = [
    ['', /empty/],
    ['UPPER', /repository component "UPPER"/],
    ['ghcr.io/Owner/app', /repository component "Owner"/],
    ['app:', /tag ""/],
    ['app:-x', /tag "-x"/],
    ['app@sha256:abc', /digest "sha256:abc"/],
    [`app@sha512:${'a'.repeat(128)}`, /digest/],
    ['https://ghcr.io/x', /URL scheme/],
    ['ghcr.io/x y', /white space/],
    ['ghcr.io/', /repository name is missing/],
    ['ghcr.io/a//b', /repository component ""/],
    ['ghcr.io/a/', /repository component ""/],
    ['bad_host.io/app', /not a registry host/],
    ['a'.repeat(64), /image ID/],
    [`ghcr.io/${'a'.repeat(250)}`, /longer than 255/],
  ];
  for (const [text, why] of invalid) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      assert.throws(
        () => parseImageReference(text, 'subject-image'),
        (e: unknown) =>
          e instanceof ProvenanceError &&
          e.code === 'INPUT_INVALID' &&
          e.message.startsWith(`subject-image: "${text}" is not an image reference`) &&
          why.test(e.message),
      );
    });
  }

  it('formats back to the canonical text', () => {
    assert.equal(formatReference(parseImageReference(`ubuntu:22.04@${D}`)), `docker.io/library/ubuntu:22.04@${D}`);
  });
});

describe('registry transport', () => {
  it('uses http only for loopback registries', () => {
    assert.equal(registryBaseURL('127.0.0.1:5000'), 'http://127.0.0.1:5000');
    assert.equal(registryBaseURL('127.8.9.10'), 'http://127.8.9.10');
    assert.equal(registryBaseURL('localhost:5000'), 'http://localhost:5000');
    assert.equal(registryBaseURL('[::1]:5000'), 'http://[::1]:5000');
    assert.equal(registryBaseURL('ghcr.io'), 'https://ghcr.io');
    assert.equal(registryBaseURL('10.0.0.1:5000'), 'https://10.0.0.1:5000');
    assert.equal(registryBaseURL('127.0.0.1.nip.io'), 'https://127.0.0.1.nip.io');
    assert.equal(registryBaseURL('docker.io'), 'https://registry-1.docker.io');
    assert.equal(isLoopbackHost('127.0.0.256'), false);
  });
  it('refuses plain http elsewhere, naming where it was sent', () => {
    assert.doesNotThrow(() => assertSecureURL(new URL('http://127.0.0.1:1/token'), 'registry x', 'its token service'));
    assert.throws(
      () => assertSecureURL(new URL('http://auth.example.com/token?secret=1'), 'registry ghcr.io', 'its token service'),
      (e: unknown) =>
        e instanceof ProvenanceError &&
        e.code === 'REGISTRY_FAILED' &&
        /^registry ghcr\.io sent us to http:\/\/auth\.example\.com\/token for its token service/.test(e.message) &&
        !e.message.includes('secret'),
    );
  });
});
