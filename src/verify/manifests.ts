// The images a deployment would run, read from Kubernetes manifests and Compose files, so verify
// mode can gate a deploy on the provenance of every one of them. Both formats name an image as
// a YAML `image:` key (Kubernetes containers and initContainers, Compose services); each
// reference keeps its file and line, so a failing image can be annotated where it is written.
// Line-based on purpose: no YAML dependency, and multi-document files (---) need nothing special.

import { ProvenanceError } from '../errors.ts';

/** Rendered manifests of a large deployment run to a few MiB; a file past this is not a manifest. */
export const MAX_MANIFEST_FILE_BYTES = 64 * 1024 * 1024;

export interface ImageUse {
  image: string;
  file: string;
  line: number; // 1-based
}

// `image: ref`, `- image: ref`, quoted or not, with an optional trailing comment.
const IMAGE_LINE = /^\s*(?:-\s+)?image:\s*(?:"([^"]*)"|'([^']*)'|([^\s#"'][^\s#]*))\s*(?:#.*)?$/;

export function imagesInManifest(text: string, file: string): ImageUse[] {
  if (text.length > MAX_MANIFEST_FILE_BYTES || Buffer.byteLength(text, 'utf8') > MAX_MANIFEST_FILE_BYTES) {
    throw new ProvenanceError('INPUT_INVALID', `manifests: ${file} is larger than ${MAX_MANIFEST_FILE_BYTES} bytes`, 'Point manifests at Kubernetes manifests or Compose files');
  }
  const uses: ImageUse[] = [];
  text.split(/\r?\n/).forEach((content, i) => {
    const m = IMAGE_LINE.exec(content);
    const image = (m?.[1] ?? m?.[2] ?? m?.[3] ?? '').trim();
    // Templated values (${TAG}, {{ .Values.image }}) cannot be verified as written: left to the caller to report.
    if (image !== '') uses.push({ image, file, line: i + 1 });
  });
  return uses;
}

/** A reference with a template expression in it, which names no image until rendered. */
export function isTemplated(image: string): boolean {
  return /\$\{|\{\{|\$[A-Z_]/.test(image);
}
