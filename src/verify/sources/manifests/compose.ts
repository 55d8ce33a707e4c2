// Images in a Compose file: `services.<name>.image`, required of every service, since a service
// that is built (build:) or inherited from another file (extends:) runs an image no provenance
// covers here. `include:` pulls in other files' services, so it is refused: verify the output of
// `docker compose config`, which has them all.

import { imageOf, type ImageUse } from './image-use.ts';
import type { Field, ManifestTree } from './manifest-tree.ts';

const RENDER = 'Verify the output of docker compose config, which writes out every service';

/** A Compose file: a top-level mapping with services and neither kind nor apiVersion. */
export function isCompose(tree: ManifestTree, fields: readonly Field[]): boolean {
  return (
    tree.field(fields, 'services') !== undefined &&
    tree.field(fields, 'kind') === undefined &&
    tree.field(fields, 'apiVersion') === undefined
  );
}

export function imagesInCompose(tree: ManifestTree, fields: readonly Field[]): ImageUse[] {
  const include = tree.field(fields, 'include');
  if (include !== undefined)
    throw tree.yaml.refuse(include.line, 'include:, which adds services from other files', RENDER);
  const services = tree.field(fields, 'services');
  if (services === undefined || tree.isNull(services.value)) return [];
  const byName = tree.fields(services.value);
  if (byName === null) throw tree.yaml.refuse(services.line, 'services is not a mapping of service names', RENDER);
  return byName.map((service) => {
    const spec = tree.fields(service.value);
    if (spec === null) throw tree.yaml.refuse(service.line, `the service "${service.name}" is not a mapping`, RENDER);
    return imageOf(tree, tree.field(spec, 'image'), `the service "${service.name}"`, service.line);
  });
}
