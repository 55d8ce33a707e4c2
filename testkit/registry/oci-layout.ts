// Pushes an OCI image layout as `cosign save` writes it (index.json naming the image, or image index,
// and cosign's attestation manifest by their `kind` annotations) to a registry, byte for byte: every
// blob as it is, each manifest's exact bytes under its digest, the attestation manifest under the
// tag cosign gives it, `sha256-<hex>.att`. Raw distribution-API requests, independent of the client
// under test, so what verify mode reads is exactly what cosign left.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { pushBlob, sha256, type RawTarget } from './images.ts';

const IMAGE_KINDS = new Set(['dev.cosignproject.cosign/image', 'dev.cosignproject.cosign/imageIndex']);
const ATTESTATIONS_KIND = 'dev.cosignproject.cosign/atts';

interface LayoutEntry {
  mediaType: string;
  digest: string;
  annotations?: Record<string, string>;
}

export interface PushedLayout {
  /** The image's (or image index's) digest. */
  imageDigest: string;
  /** The attestation manifest's digest and the tag it was pushed under. */
  attestationDigest: string;
  attestationTag: string;
}

export async function pushCosignLayout(target: RawTarget, repository: string, layout: string): Promise<PushedLayout> {
  const blobs = path.join(layout, 'blobs', 'sha256');
  const read = (digest: string): Promise<Buffer> => readFile(path.join(blobs, digest.replace(/^sha256:/, '')));
  for (const name of await readdir(blobs)) await pushBlob(target, repository, await readFile(path.join(blobs, name)));

  const index = JSON.parse(await readFile(path.join(layout, 'index.json'), 'utf8')) as { manifests: LayoutEntry[] };
  const image = index.manifests.find((m) => IMAGE_KINDS.has(m.annotations?.['kind'] ?? ''));
  const attestations = index.manifests.find((m) => m.annotations?.['kind'] === ATTESTATIONS_KIND);
  if (!image || !attestations) throw new Error(`${layout}: index.json names no image or no attestation manifest`);

  const imageBytes = await read(image.digest);
  // An image index's platform manifests go first: a registry refuses an index naming unknown manifests.
  const children = (JSON.parse(imageBytes.toString('utf8')) as { manifests?: LayoutEntry[] }).manifests ?? [];
  for (const child of children)
    await putRawManifest(target, repository, child.digest, await read(child.digest), child.mediaType);
  await putRawManifest(target, repository, image.digest, imageBytes, image.mediaType);
  const attestationTag = `${image.digest.replace(':', '-')}.att`;
  await putRawManifest(target, repository, attestationTag, await read(attestations.digest), attestations.mediaType);
  return { imageDigest: image.digest, attestationDigest: attestations.digest, attestationTag };
}

/** A manifest's exact bytes under `reference` (a tag or its own digest). */
export async function putRawManifest(
  target: RawTarget,
  repository: string,
  reference: string,
  bytes: Buffer,
  mediaType: string,
): Promise<string> {
  const url = typeof target === 'string' ? target : target.url;
  const headers = typeof target === 'string' ? {} : target.headers;
  const res = await fetch(`${url}/v2/${repository}/manifests/${reference}`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': mediaType },
    body: bytes,
  });
  if (res.status !== 201)
    throw new Error(`put manifest ${repository}:${reference}: HTTP ${res.status}: ${await res.text()}`);
  const digest = sha256(bytes);
  const stored = res.headers.get('docker-content-digest');
  if (stored !== null && stored !== digest)
    throw new Error(`put manifest ${repository}:${reference}: the registry stored ${stored}, not ${digest}`);
  return digest;
}
