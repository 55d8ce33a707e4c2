// Links between attestations: how one stage's attestation names, by digest, the attestations it
// built on, so a chain runs from the build to the deployment. Pure.
//
// What a link names: the SHA-256 of the linked attestation's DSSE payload, i.e. of the exact
// in-toto statement bytes that were signed. Not the bundle file: the same attestation is stored
// as pretty JSON, as a JSON Lines line, in a registry or behind an API, and every copy has other
// bytes; the signed statement is the same everywhere, and it is what Rekor indexes a dsse entry
// by (its payloadHash). Re-signing a statement (a re-run) gives a new bundle but the same link.
//
// Where a link is written, so any verifier can follow it:
// - SLSA provenance v1: an entry of buildDefinition.resolvedDependencies (after the source
//   commit, which stays first), with mediaType application/vnd.in-toto+json telling it apart
//   from source and tool dependencies;
// - a SLSA VSA: its own inputAttestations field, which exists for exactly this;
// - any other predicate: the extension field LINKS_FIELD (a URI, as in-toto's parsing rules
//   require of extension fields), holding the same ResourceDescriptors.

import { isObject, ownValue } from '../common/json.ts';
import { LINKS_FIELD, SLSA_PROVENANCE_V1, VSA_V1 } from './presets.ts';

export const ATTESTATION_MEDIA_TYPE = 'application/vnd.in-toto+json';

/** An in-toto ResourceDescriptor naming one attestation. */
export interface LinkDescriptor {
  /** Where the linked bundle was read from: informative only, never used to match. */
  name: string;
  digest: { sha256: string };
  mediaType: typeof ATTESTATION_MEDIA_TYPE;
  annotations: { predicateType: string };
}

export interface LinkTarget {
  /** sha256 hex of the DSSE payload. */
  statementDigest: string;
  predicateType: string;
  source: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function linkDescriptor(target: LinkTarget): LinkDescriptor {
  return {
    name: target.source,
    digest: { sha256: target.statementDigest },
    mediaType: ATTESTATION_MEDIA_TYPE,
    annotations: { predicateType: target.predicateType },
  };
}

/**
 * The predicate with the links added where its type keeps them. The input is not modified.
 * An existing list in that place is extended, never replaced; a link already there is not repeated.
 */
export function withLinks(
  predicateType: string,
  predicate: Record<string, unknown>,
  targets: readonly LinkTarget[],
): Record<string, unknown> {
  if (targets.length === 0) return predicate;
  const add = (existing: unknown): unknown[] => {
    const list = Array.isArray(existing) ? [...(existing as unknown[])] : [];
    const known = new Set(list.map(linkedDigest).filter((d) => d !== undefined));
    for (const target of targets) {
      if (known.has(target.statementDigest)) continue;
      known.add(target.statementDigest);
      list.push(linkDescriptor(target));
    }
    return list;
  };
  if (predicateType === SLSA_PROVENANCE_V1 && isObject(predicate['buildDefinition'])) {
    const definition = predicate['buildDefinition'];
    return {
      ...predicate,
      buildDefinition: { ...definition, resolvedDependencies: add(definition['resolvedDependencies']) },
    };
  }
  if (predicateType === VSA_V1) return { ...predicate, inputAttestations: add(predicate['inputAttestations']) };
  return { ...predicate, [LINKS_FIELD]: add(predicate[LINKS_FIELD]) };
}

/**
 * The statement digests a predicate links to, read from every place links are written. Only
 * well-formed entries count (a lowercase 64-hex sha256): a malformed link links to nothing.
 */
export function linkedDigests(predicate: Record<string, unknown>): Set<string> {
  const found = new Set<string>();
  const read = (list: unknown, requireMediaType: boolean): void => {
    if (!Array.isArray(list)) return;
    for (const entry of list as unknown[]) {
      if (requireMediaType && (!isObject(entry) || ownValue(entry, 'mediaType') !== ATTESTATION_MEDIA_TYPE)) continue;
      const digest = linkedDigest(entry);
      if (digest !== undefined) found.add(digest);
    }
  };
  // A signed predicate's fields, read only as its own (never Object.prototype's).
  const definition = ownValue(predicate, 'buildDefinition');
  // Source and tool dependencies are not attestations: only entries marked as in-toto count.
  if (isObject(definition)) read(ownValue(definition, 'resolvedDependencies'), true);
  read(ownValue(predicate, 'inputAttestations'), false);
  read(ownValue(predicate, LINKS_FIELD), false);
  return found;
}

function linkedDigest(entry: unknown): string | undefined {
  const digest = isObject(entry) ? ownValue(entry, 'digest') : undefined;
  if (!isObject(digest)) return undefined;
  const hex = ownValue(digest, 'sha256');
  return typeof hex === 'string' && SHA256_HEX.test(hex) ? hex : undefined;
}
