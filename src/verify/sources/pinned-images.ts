// require-digest: a deploy gate verifies the image a tag names now, and the deployment resolves the tag
// again later, when it may name another image. Only a reference pinned by digest names the same bytes
// both times, so with require-digest every other reference is refused before any registry is asked.

import { ProvenanceError } from '../../common/errors.ts';
import { parseImageReference } from '../../registry/index.ts';
import type { ImageUse } from './manifests.ts';

/** Throws for the first use (from `images` or a manifest line) whose reference has no `@sha256:` digest. */
export function requirePinnedImages(uses: readonly ImageUse[]): void {
  for (const use of uses) {
    const where = use.file === '' ? 'images' : `manifests: ${use.file}:${use.line}`;
    if (parseImageReference(use.image, use.file === '' ? 'images' : 'manifests').digest !== undefined) continue;
    throw new ProvenanceError(
      'INPUT_INVALID',
      `require-digest: ${where} names the image "${use.image}", which is not pinned by digest (the deployment would resolve its tag again); expected registry/repository[:tag]@sha256:<64 hex>`,
      "Pin the image by the digest the build printed (e.g. docker/build-push-action's digest output), or set require-digest: false",
    );
  }
}
