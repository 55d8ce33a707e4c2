// Images in Kubernetes objects: every container (containers, initContainers, ephemeralContainers)
// of a Pod and of the pod template of each built-in workload; the items of a List, read as kubectl
// reads them (any object with `items` is a list); and, in a kind this reader does not know (a custom
// resource such as an Argo Rollout, or a kind without apiVersion), every `image` key, so an image
// there is still verified. A kustomization is refused: building it rewrites images.

import type { Node } from 'yaml';
import { imageOf, type ImageUse } from './image-use.ts';
import type { Field, ManifestTree } from './manifest-tree.ts';

/** Where each workload keeps its pod spec, and the API groups that define it (core is ""). */
const POD_SPECS: Readonly<Record<string, { groups: readonly string[]; path: readonly string[] }>> = {
  Pod: { groups: [''], path: ['spec'] },
  PodTemplate: { groups: [''], path: ['template', 'spec'] },
  ReplicationController: { groups: [''], path: ['spec', 'template', 'spec'] },
  Deployment: { groups: ['apps', 'extensions'], path: ['spec', 'template', 'spec'] },
  ReplicaSet: { groups: ['apps', 'extensions'], path: ['spec', 'template', 'spec'] },
  DaemonSet: { groups: ['apps', 'extensions'], path: ['spec', 'template', 'spec'] },
  StatefulSet: { groups: ['apps'], path: ['spec', 'template', 'spec'] },
  Job: { groups: ['batch'], path: ['spec', 'template', 'spec'] },
  CronJob: { groups: ['batch'], path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] },
};

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;

/** Lists inside lists: kubectl flattens them; deeper than this is not a rendered manifest. */
const MAX_LIST_DEPTH = 8;

export function imagesInObject(tree: ManifestTree, node: Node | null, depth = 0): ImageUse[] {
  const fields = tree.fields(node);
  if (fields === null) return tree.isNull(node) ? [] : imagesAnywhere(tree, node);
  const at = (): number => (node ? tree.lineOf(node) : 1);
  const kind = tree.text(tree.field(fields, 'kind')?.value ?? null)?.value;
  if (kind === 'Kustomization') {
    throw tree.yaml.refuse(
      at(),
      'a kustomization, whose images are rewritten when it is built',
      'Verify the built manifests (kubectl kustomize DIR > rendered.yaml)',
    );
  }

  const items = tree.field(fields, 'items');
  if (items !== undefined && !tree.isNull(items.value)) {
    const list = tree.items(items.value);
    if (list === null)
      throw tree.yaml.refuse(
        items.line,
        '"items" that is not a list (kubectl reads any object with items as a List)',
        'Write items as a list of objects',
      );
    if (depth >= MAX_LIST_DEPTH)
      throw tree.yaml.refuse(items.line, `Lists nested more than ${MAX_LIST_DEPTH} deep`, 'Flatten the List');
    return list.flatMap((item) => imagesInObject(tree, item, depth + 1));
  }

  const apiVersion = tree.text(tree.field(fields, 'apiVersion')?.value ?? null)?.value;
  const group = apiVersion?.includes('/')
    ? apiVersion.slice(0, apiVersion.indexOf('/'))
    : apiVersion === undefined
      ? undefined
      : '';
  const known = kind === undefined ? undefined : POD_SPECS[kind];
  if (known === undefined || group === undefined || !known.groups.includes(group)) return imagesAnywhere(tree, node);

  let spec: Field[] | null = fields;
  const walked: string[] = [];
  for (const name of known.path) {
    const next = tree.field(spec, name);
    walked.push(name);
    if (next === undefined || tree.isNull(next.value)) return [];
    spec = tree.fields(next.value);
    if (spec === null)
      throw tree.yaml.refuse(
        next.line,
        `${kind} ${walked.join('.')} is not a mapping`,
        `Write ${walked.join('.')} as Kubernetes defines it`,
      );
  }
  return imagesInPodSpec(tree, spec);
}

function imagesInPodSpec(tree: ManifestTree, spec: Field[]): ImageUse[] {
  const uses: ImageUse[] = [];
  for (const listName of CONTAINER_LISTS) {
    const list = tree.field(spec, listName);
    if (list === undefined || tree.isNull(list.value)) continue;
    const containers = tree.items(list.value);
    if (containers === null)
      throw tree.yaml.refuse(list.line, `${listName} is not a list`, `Write ${listName} as a list of containers`);
    containers.forEach((container, i) => {
      const line = container ? tree.lineOf(container) : list.line;
      const fields = tree.fields(container);
      if (fields === null)
        throw tree.yaml.refuse(
          line,
          `${listName}[${i}] is not a container (a mapping)`,
          'Write each container as a mapping with name and image',
        );
      const name = tree.text(tree.field(fields, 'name')?.value ?? null)?.value;
      uses.push(
        imageOf(
          tree,
          tree.field(fields, 'image'),
          name === undefined ? `${listName}[${i}]` : `the container "${name}"`,
          line,
        ),
      );
    });
  }
  return uses;
}

/** Every `image` key under a node: for kinds whose layout this reader does not know. */
function imagesAnywhere(tree: ManifestTree, node: Node | null, depth = 0): ImageUse[] {
  const target = tree.resolve(node, depth);
  const list = tree.items(target);
  if (list !== null) return list.flatMap((item) => imagesAnywhere(tree, item, depth + 1));
  const fields = tree.fields(target);
  if (fields === null) return [];
  const image = tree.field(fields, 'image');
  const uses = image === undefined ? [] : [imageOf(tree, image, 'the "image" key', image.line)];
  for (const field of fields) {
    if (field !== image) uses.push(...imagesAnywhere(tree, field.value, depth + 1));
  }
  return uses;
}
