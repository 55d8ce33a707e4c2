// An image as a manifest names it, with the file and line it is written on (for annotations), and
// the check every image value passes: one string, written out. A missing, null, numeric, boolean,
// mapping or padded value is refused, because Kubernetes and Compose would run something (or
// nothing) that verify mode cannot name.

import type { Field, ManifestTree } from './manifest-tree.ts';

export interface ImageUse {
  image: string;
  file: string;
  line: number; // 1-based
}

const WRITE_IT = 'Write each image as one string, e.g. image: ghcr.io/octo-org/app@sha256:<digest>';

/** The image `field` names for `owner` (a container, a service), or a refusal naming the file and line. */
export function imageOf(tree: ManifestTree, field: Field | undefined, owner: string, ownerLine: number): ImageUse {
  if (field === undefined || tree.isNull(field.value)) {
    throw tree.yaml.refuse(
      field?.line ?? ownerLine,
      `${owner} names no image, so what it runs cannot be verified`,
      `${WRITE_IT}; verify the rendered manifests, where every image is written out`,
    );
  }
  const text = tree.text(field.value);
  if (text === null) {
    const line = field.value ? tree.lineOf(field.value) : field.line;
    throw tree.yaml.refuse(line, `the image of ${owner} is not a plain string`, WRITE_IT);
  }
  if (text.value.trim() !== text.value) {
    throw tree.yaml.refuse(
      tree.lineOf(text.node),
      `the image of ${owner} has white space around it ("${text.value}")`,
      WRITE_IT,
    );
  }
  return { image: text.value, file: tree.yaml.file, line: tree.lineOf(text.node) };
}
