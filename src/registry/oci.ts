// The OCI shapes we read and write: descriptors, image manifests and indexes. Registry JSON is parsed
// here into these types, keeping only what is well-formed, so the rest of the folder never handles
// `unknown`; annotations are prototype-free records, their names being the registry's. Digests are always sha256, computed by us over the exact bytes.

import { createHash } from 'node:crypto';
import { dataRecord, isObject, stringRecord } from '../common/json.ts';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** The fallback tag for referrers of `digest` (`sha256:abc…` → `sha256-abc…`), from the OCI spec. */
export function referrersTag(digest: string): string {
  return digest.replace(':', '-');
}

export function parseDescriptor(value: unknown): Descriptor | undefined {
  if (!isObject(value)) return undefined;
  const { mediaType, digest, size, artifactType, annotations } = value;
  if (typeof mediaType !== 'string' || typeof digest !== 'string' || !SHA256_DIGEST.test(digest)) return undefined;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) return undefined;
  const descriptor: Descriptor = { mediaType, digest, size };
  if (typeof artifactType === 'string') descriptor.artifactType = artifactType;
  if (isObject(annotations)) descriptor.annotations = stringRecord(annotations);
  return descriptor;
}

/** The parsed parts of an image manifest (OCI or Docker v2) we use. */
export interface ImageManifest {
  artifactType: string | undefined;
  config: Descriptor | undefined;
  layers: Descriptor[];
  subject: Descriptor | undefined;
  annotations: Record<string, string>;
}

export function parseImageManifest(value: unknown): ImageManifest | undefined {
  if (!isObject(value) || !Array.isArray(value['layers'])) return undefined;
  return {
    artifactType: typeof value['artifactType'] === 'string' ? value['artifactType'] : undefined,
    config: parseDescriptor(value['config']),
    layers: value['layers'].map(parseDescriptor).filter((d) => d !== undefined),
    subject: parseDescriptor(value['subject']),
    annotations: isObject(value['annotations']) ? stringRecord(value['annotations']) : dataRecord<string>(),
  };
}

/** An index's entries, or undefined when `value` is not an index. Malformed entries are dropped. */
export function parseIndexEntries(value: unknown): Descriptor[] | undefined {
  if (!isObject(value) || !Array.isArray(value['manifests'])) return undefined;
  return value['manifests'].map(parseDescriptor).filter((d) => d !== undefined);
}
