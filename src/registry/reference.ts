// Image references as users type them (`ghcr.io/owner/app:1.2`, `ubuntu`, `localhost:5000/x@sha256:…`),
// parsed with Docker's rules so a name means here what it means to `docker pull`: the first segment is a
// registry only if it contains `.` or `:`, is `localhost`, or has upper case; otherwise the image is on
// Docker Hub, where one-segment names live under `library/`.

import { ProvenanceError } from '../common/errors.ts';

export interface ImageReference {
  /** host[:port] as the registry is addressed; Docker Hub is `docker.io`. */
  registry: string;
  repository: string;
  tag: string | undefined;
  /** `sha256:<64 hex>` when the reference pins a digest. */
  digest: string | undefined;
}

export const DOCKER_HUB = 'docker.io';
const LEGACY_DOCKER_HUB = 'index.docker.io';
const NAME_MAX_LENGTH = 255; // Docker's limit for registry + repository

// distribution/reference's grammar, anchored.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_LABEL = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^(?:${DOMAIN_LABEL}(?:\\.${DOMAIN_LABEL})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

const EXAMPLE = 'Use registry/repository[:tag][@sha256:<64 hex>], e.g. "ghcr.io/owner/app:1.2.3"';

/** `input` names what the user set (an action.yml key), for the error line. */
export function parseImageReference(text: string, input = 'image'): ImageReference {
  const invalid = (why: string): ProvenanceError =>
    new ProvenanceError('INPUT_INVALID', `${input}: "${text}" is not an image reference: ${why}`, EXAMPLE);
  const value = text.trim();
  if (value === '') throw invalid('it is empty');
  if (/\s/.test(value)) throw invalid('it contains white space');
  if (value.includes('://')) throw invalid('a reference has no URL scheme');

  const { registry, remainder } = splitRegistry(value);
  if (!DOMAIN.test(registry)) throw invalid(`"${registry}" is not a registry host`);

  let name = remainder;
  let digest: string | undefined;
  const at = name.lastIndexOf('@');
  if (at !== -1) {
    digest = name.slice(at + 1);
    name = name.slice(0, at);
    if (!SHA256_DIGEST.test(digest)) throw invalid(`digest "${digest}" is not sha256: and 64 lower-case hex digits`);
  }
  let tag: string | undefined;
  const colon = name.lastIndexOf(':');
  if (colon !== -1) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
    if (!TAG.test(tag))
      throw invalid(`tag "${tag}" is not 1-128 letters, digits, "_", "." or "-" (not starting with "." or "-")`);
  }
  if (name === '') throw invalid('the repository name is missing');
  const bad = name.split('/').find((component) => !PATH_COMPONENT.test(component));
  if (bad !== undefined)
    throw invalid(
      `repository component "${bad}" must be lower-case letters and digits, separated by ".", "_", "__" or "-"`,
    );
  if (registry === DOCKER_HUB && /^[a-f0-9]{64}$/.test(remainder))
    throw invalid('a 64-hex name is an image ID, not a repository');

  const repository = registry === DOCKER_HUB && !name.includes('/') ? `library/${name}` : name;
  if (registry.length + 1 + repository.length > NAME_MAX_LENGTH)
    throw invalid(`the name is longer than ${NAME_MAX_LENGTH} characters`);
  return { registry, repository, tag, digest };
}

// Docker's splitDockerDomain: only a first segment that looks like a host is one.
function splitRegistry(value: string): { registry: string; remainder: string } {
  const slash = value.indexOf('/');
  const first = slash === -1 ? '' : value.slice(0, slash);
  const isHost = slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  if (!isHost) return { registry: DOCKER_HUB, remainder: value };
  return { registry: first === LEGACY_DOCKER_HUB ? DOCKER_HUB : first, remainder: value.slice(slash + 1) };
}

/** The canonical text: `registry/repository[:tag][@digest]`. */
export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag === undefined ? '' : `:${ref.tag}`}${ref.digest === undefined ? '' : `@${ref.digest}`}`;
}

/** What to ask the registry for: the digest when pinned, else the tag (Docker's default `latest`). */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}
