// The in-toto statement a DSSE bundle signs, read strictly (a payload that claims to be in-toto
// but is not a statement is a malformed bundle), and whether an artifact is one of its subjects.

import { dataRecord, exceedsDepth, ownValue } from '../../common/json.ts';
import { createHash } from 'node:crypto';
import type { Envelope } from '@sigstore/bundle';
import { VerificationError, type InTotoStatement } from '../types.ts';

export const MAX_STATEMENT_DEPTH = 258; // a predicate of 256 levels, inside the statement
export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
// v1 is current; v0.1 is what slsa-github-generator's SLSA v0.2 provenance still carries.
const STATEMENT_TYPES: readonly string[] = ['https://in-toto.io/Statement/v1', 'https://in-toto.io/Statement/v0.1'];
// Digests we can compute from an artifact's bytes to compare with a subject's.
const COMPUTABLE = ['sha256', 'sha384', 'sha512'] as const;
type Computable = (typeof COMPUTABLE)[number];

export type ArtifactInput = { data: Buffer } | { digest: { algorithm: 'sha256'; hex: string } };

/** The statement of an in-toto DSSE envelope; undefined for other payload types. */
export function statementOf(envelope: Envelope): InTotoStatement | undefined {
  if (envelope.payloadType !== IN_TOTO_PAYLOAD_TYPE) return undefined;
  const fail = (expected: string, found: string, cause?: unknown): never => {
    throw new VerificationError(
      { check: 'bundle-format', expected: `an in-toto statement as DSSE payload: ${expected}`, found },
      { cause },
    );
  };
  let json: unknown;
  try {
    json = JSON.parse(envelope.payload.toString('utf8'));
  } catch (err) {
    return fail('JSON', 'a payload that is not JSON', err);
  }
  if (!isObject(json)) return fail('a JSON object', Array.isArray(json) ? 'a list' : typeof json);
  // A signed statement nested deeper than any predicate needs would exhaust the stack of whatever
  // reads it next (a worker's structured clone, JSON.stringify): refused here, as custom predicates are at attest time.
  if (exceedsDepth(json, MAX_STATEMENT_DEPTH))
    return fail(`at most ${MAX_STATEMENT_DEPTH} levels of nesting`, 'deeper nesting');
  const { _type, subject, predicateType, predicate } = json;
  if (typeof _type !== 'string' || !STATEMENT_TYPES.includes(_type))
    return fail(`_type ${STATEMENT_TYPES.join(' or ')}`, JSON.stringify(_type) ?? 'none');
  if (typeof predicateType !== 'string' || predicateType === '')
    return fail('a predicateType', JSON.stringify(predicateType) ?? 'none');
  // The predicate is optional in the in-toto spec; when present it must be an object.
  if (predicate !== undefined && !isObject(predicate)) return fail('a predicate object', typeof predicate);
  if (!Array.isArray(subject) || subject.length === 0)
    return fail('at least one subject', JSON.stringify(subject) ?? 'none');
  const subjects = subject.map((s: unknown, i) => {
    if (!isObject(s) || !isObject(s.digest)) return fail(`subject[${i}] with a digest`, JSON.stringify(s));
    // Keyed by the statement's own algorithm names, which may be `__proto__` or `constructor`.
    const digest = dataRecord<string>();
    for (const [algorithm, hex] of Object.entries(s.digest)) {
      if (typeof hex !== 'string') return fail(`subject[${i}].digest.${algorithm} as a string`, typeof hex);
      digest[algorithm] = hex;
    }
    if (Object.keys(digest).length === 0) return fail(`subject[${i}] with at least one digest`, 'none');
    return { name: typeof s.name === 'string' ? s.name : '', digest };
  });
  return { _type, subject: subjects, predicateType, predicate: isObject(predicate) ? predicate : {} };
}

/**
 * Throws a subject-digest failure unless the artifact is a subject: a subject matches when every
 * digest of it we can compute agrees (and there is at least one).
 */
export function requireSubject(statement: InTotoStatement, artifact: ArtifactInput): void {
  const computed = new Map<Computable, string | undefined>();
  const digestOf = (algorithm: Computable): string | undefined => {
    if (!computed.has(algorithm)) {
      computed.set(
        algorithm,
        'data' in artifact
          ? createHash(algorithm).update(artifact.data).digest('hex')
          : algorithm === artifact.digest.algorithm
            ? artifact.digest.hex.toLowerCase()
            : undefined,
      );
    }
    return computed.get(algorithm);
  };
  const matches = statement.subject.some((subject) => {
    const listed = (alg: Computable): string | undefined => {
      const hex = ownValue(subject.digest, alg);
      return typeof hex === 'string' ? hex.toLowerCase() : undefined;
    };
    const comparable = COMPUTABLE.filter((alg) => listed(alg) !== undefined && digestOf(alg) !== undefined);
    return comparable.length > 0 && comparable.every((alg) => listed(alg) === digestOf(alg));
  });
  if (matches) return;
  const shown = statement.subject.slice(0, 3).map(
    (s) =>
      `${s.name || '(unnamed)'} ${Object.entries(s.digest)
        .map(([a, h]) => `${a}:${h}`)
        .join(' ')}`,
  );
  const more = statement.subject.length > 3 ? ` and ${statement.subject.length - 3} more` : '';
  throw new VerificationError({
    check: 'subject-digest',
    expected: `the artifact (sha256:${digestOf('sha256') ?? '?'}) among the statement's subjects`,
    found: `${shown.join(', ')}${more}`,
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
