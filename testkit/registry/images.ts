// Test content pushed with raw distribution-API requests, independent of the client under test: a
// minimal image (config + one layer), cosign's older `.att` layout, and bundle-shaped JSON. A target is
// a loopback registry's base URL, or that plus headers (an admin login) for registries that want one.

import { createHash } from 'node:crypto';

export interface PushedManifest {
  mediaType: string;
  digest: string;
  size: number;
}

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

export type RawTarget = string | { url: string; headers: Record<string, string> };
const urlOf = (t: RawTarget): string => (typeof t === 'string' ? t : t.url);
const headersOf = (t: RawTarget): Record<string, string> => (typeof t === 'string' ? {} : t.headers);

export const sha256 = (bytes: Uint8Array): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function expectStatus(response: Response, status: number, what: string): Promise<Response> {
  if (response.status !== status) throw new Error(`${what}: HTTP ${response.status}: ${await response.text()}`);
  return response;
}

export async function pushBlob(target: RawTarget, repository: string, bytes: Uint8Array): Promise<PushedManifest> {
  const digest = sha256(bytes);
  const session = await expectStatus(
    await fetch(`${urlOf(target)}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers: headersOf(target) }),
    202,
    'start upload',
  );
  const upload = new URL(session.headers.get('location') ?? '', urlOf(target));
  upload.searchParams.set('digest', digest);
  await expectStatus(
    await fetch(upload, {
      method: 'PUT',
      headers: { ...headersOf(target), 'content-type': 'application/octet-stream' },
      body: bytes,
    }),
    201,
    'upload blob',
  );
  return { mediaType: 'application/octet-stream', digest, size: bytes.byteLength };
}

export async function putManifest(
  target: RawTarget,
  repository: string,
  reference: string,
  manifest: object,
  mediaType = OCI_MANIFEST,
): Promise<PushedManifest> {
  const bytes = Buffer.from(JSON.stringify(manifest));
  const res = await fetch(`${urlOf(target)}/v2/${repository}/manifests/${reference}`, {
    method: 'PUT',
    headers: { ...headersOf(target), 'content-type': mediaType },
    body: bytes,
  });
  await expectStatus(res, 201, `put manifest ${repository}:${reference}`);
  return { mediaType, digest: sha256(bytes), size: bytes.byteLength };
}

/** A minimal OCI image under `repository:tag`; `seed` makes its content (and digest) unique. */
export async function pushTestImage(
  target: RawTarget,
  repository: string,
  tag: string,
  seed = tag,
): Promise<PushedManifest> {
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [] },
      config: { Labels: { seed } },
    }),
  );
  const layer = Buffer.from(`layer content for ${seed}\n`);
  const c = await pushBlob(target, repository, config);
  const l = await pushBlob(target, repository, layer);
  return putManifest(target, repository, tag, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: c.digest, size: c.size },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: l.digest, size: l.size }],
  });
}

/** cosign's pre-OCI-1.1 layout: `sha256-<hex>.att` with one DSSE envelope per layer. */
export async function pushCosignAttestations(
  target: RawTarget,
  repository: string,
  subjectDigest: string,
  envelopes: object[],
): Promise<PushedManifest> {
  const config = await pushBlob(target, repository, Buffer.from('{}'));
  const layers = [];
  for (const envelope of envelopes) {
    const blob = await pushBlob(target, repository, Buffer.from(JSON.stringify(envelope)));
    layers.push({
      mediaType: 'application/vnd.dsse.envelope.v1+json',
      digest: blob.digest,
      size: blob.size,
      annotations: { predicateType: 'https://slsa.dev/provenance/v0.2' },
    });
  }
  return putManifest(target, repository, `${subjectDigest.replace(':', '-')}.att`, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config.digest, size: config.size },
    layers,
  });
}

/** JSON shaped like a Sigstore bundle (unsigned: the registry layer never looks inside). */
export function fakeBundle(label: string): { mediaType: string; [key: string]: unknown } {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: label, digest: { sha256: 'a'.repeat(64) } }],
    predicateType: 'https://slsa.dev/provenance/v1',
    predicate: {},
  };
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: {
      certificate: { rawBytes: Buffer.from(`cert ${label}`).toString('base64') },
      tlogEntries: [],
    },
    dsseEnvelope: {
      payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
      payloadType: 'application/vnd.in-toto+json',
      signatures: [{ sig: Buffer.from(`sig ${label}`).toString('base64') }],
    },
  };
}

/** A bare DSSE envelope, as cosign stored attestations before bundles. */
export function fakeEnvelope(label: string): {
  payloadType: string;
  payload: string;
  signatures: { keyid: string; sig: string }[];
} {
  return {
    payloadType: 'application/vnd.in-toto+json',
    payload: Buffer.from(JSON.stringify({ label })).toString('base64'),
    signatures: [{ keyid: '', sig: Buffer.from(`sig ${label}`).toString('base64') }],
  };
}
