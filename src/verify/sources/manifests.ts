// The images a deployment would run, read from Kubernetes manifests and Compose files (YAML or
// JSON, one or many documents), so verify mode can gate a deploy on the provenance of every one
// of them. Read with a YAML parser as Kubernetes reads them (manifests/manifest-yaml.ts), then by
// format: Kubernetes objects (manifests/kubernetes.ts) or Compose services (manifests/compose.ts).
// Each image keeps its file and line, so a failing image can be annotated where it is written.
// Fails closed: whatever could hide an image from this reader is refused, naming file and line.

import { ProvenanceError } from '../../common/errors.ts';
import { imagesInCompose, isCompose } from './manifests/compose.ts';
import type { ImageUse } from './manifests/image-use.ts';
import { imagesInObject } from './manifests/kubernetes.ts';
import { ManifestTree } from './manifests/manifest-tree.ts';
import { readManifestYaml } from './manifests/manifest-yaml.ts';

export type { ImageUse } from './manifests/image-use.ts';

/** Rendered manifests of a large deployment run to a few MiB; a file past this is not a manifest. */
export const MAX_MANIFEST_FILE_BYTES = 64 * 1024 * 1024;

export function imagesInManifest(text: string, file: string): ImageUse[] {
  if (text.length > MAX_MANIFEST_FILE_BYTES || Buffer.byteLength(text, 'utf8') > MAX_MANIFEST_FILE_BYTES) {
    throw new ProvenanceError(
      'INPUT_INVALID',
      `manifests: ${file} is larger than ${MAX_MANIFEST_FILE_BYTES} bytes`,
      'Point manifests at Kubernetes manifests or Compose files',
    );
  }
  const yaml = readManifestYaml(text, file);
  const uses = yaml.documents.flatMap((doc) => {
    const tree = new ManifestTree(yaml, doc, text.length);
    const fields = tree.fields(tree.root);
    return fields !== null && isCompose(tree, fields) ? imagesInCompose(tree, fields) : imagesInObject(tree, tree.root);
  });
  // In the order they are written; an anchored image aliased or merged into several places is one use of one line.
  const seen = new Set<string>();
  return uses
    .sort((a, b) => a.line - b.line)
    .filter((u) => !seen.has(`${u.line}\n${u.image}`) && Boolean(seen.add(`${u.line}\n${u.image}`)));
}

/** A reference with a template expression in it, which names no image until rendered. */
export function isTemplated(image: string): boolean {
  return /\$\{|\{\{|\$[A-Z_]/.test(image);
}
