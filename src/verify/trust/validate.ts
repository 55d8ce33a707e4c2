// Refuses a trusted root verify mode cannot rely on, naming the field: wrong media type, an
// authority without the start of its trust interval (sigstore-js would trust it since 1970),
// malformed times, and keys or certificates that do not parse. Everything a root trusts must say
// since when; the conformance case trust-root-tlog-missing-validity-start_fail is this rule.

import { exceedsDepth, parseJSON } from '../../common/json.ts';
import { VerificationError } from '../types.ts';
import { trustMaterialOf } from './material.ts';
import { TRUSTED_ROOT_MEDIA_TYPES } from './root-json.ts';
import type {
  CertificateAuthorityJSON,
  TimeRangeJSON,
  TransparencyLogInstanceJSON,
  TrustedRootJSON,
} from './root-json.ts';

/** Nesting of a trusted root document: a real one nests 6 levels; deeper is refused before it is walked. */
export const MAX_TRUSTED_ROOT_DEPTH = 32;

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Checks a parsed trusted root document and returns it typed; `source` names it in failures. */
export function validateTrustedRoot(document: unknown, source: string): TrustedRootJSON {
  const fail = (field: string, expected: string, found: string): never => {
    throw new VerificationError({
      check: 'trusted-root',
      expected: `${field}: ${expected}`,
      found: `${found} in ${source}`,
    });
  };
  if (!isObject(document)) return fail('trusted root', 'a JSON object', describe(document));
  if (exceedsDepth(document, MAX_TRUSTED_ROOT_DEPTH))
    return fail('trusted root', `JSON nested at most ${MAX_TRUSTED_ROOT_DEPTH} levels`, 'JSON nested deeper');
  const json = withoutNulls(document) as Record<string, unknown>; // an object stays an object
  const mediaType = json.mediaType;
  if (typeof mediaType !== 'string' || !TRUSTED_ROOT_MEDIA_TYPES.includes(mediaType)) {
    return fail('mediaType', `one of ${TRUSTED_ROOT_MEDIA_TYPES.join(', ')}`, describe(mediaType));
  }
  const root: TrustedRootJSON = {
    mediaType,
    // Protobuf-JSON omits empty lists: a missing list is an empty one.
    tlogs: list(json.tlogs, 'tlogs', fail).map((e, i) => transparencyLog(e, `tlogs[${i}]`, fail)),
    certificateAuthorities: list(json.certificateAuthorities, 'certificateAuthorities', fail).map((e, i) =>
      authority(e, `certificateAuthorities[${i}]`, fail),
    ),
    ctlogs: list(json.ctlogs, 'ctlogs', fail).map((e, i) => transparencyLog(e, `ctlogs[${i}]`, fail)),
    timestampAuthorities: list(json.timestampAuthorities, 'timestampAuthorities', fail).map((e, i) =>
      authority(e, `timestampAuthorities[${i}]`, fail),
    ),
  };
  // Parse every key and certificate now, so a broken one fails the run before any bundle is read.
  try {
    trustMaterialOf(root);
  } catch (err) {
    if (err instanceof VerificationError)
      throw new VerificationError({ ...err.failure, found: `${err.failure.found} in ${source}` }, { cause: err });
    throw err;
  }
  return root;
}

/** The same for the text of one trusted root document (a file's line, a TUF target). */
export function trustedRootFromText(text: string, source: string): TrustedRootJSON {
  const parsed = parseJSON(text);
  if (!parsed.ok)
    throw new VerificationError({
      check: 'trusted-root',
      expected: 'a trusted root JSON document',
      found: `invalid JSON (${parsed.reason}) in ${source}`,
    });
  return validateTrustedRoot(parsed.value, source);
}

type Fail = (field: string, expected: string, found: string) => never;

function transparencyLog(entry: unknown, where: string, fail: Fail): TransparencyLogInstanceJSON {
  if (!isObject(entry)) return fail(where, 'an object', describe(entry));
  const key = entry.publicKey;
  if (!isObject(key)) return fail(`${where}.publicKey`, 'the log public key', describe(key));
  const keyDetails = key.keyDetails;
  if (keyDetails !== undefined && typeof keyDetails !== 'string')
    return fail(`${where}.publicKey.keyDetails`, 'a key details name', describe(keyDetails));
  const log: TransparencyLogInstanceJSON = {
    baseUrl: text(entry.baseUrl, `${where}.baseUrl`, fail),
    publicKey: {
      rawBytes: text(key.rawBytes, `${where}.publicKey.rawBytes`, fail),
      ...(keyDetails === undefined ? {} : { keyDetails }),
      validFor: timeRange(key.validFor, `${where}.publicKey.validFor`, fail),
    },
    logId: keyId(entry.logId, `${where}.logId`, fail),
  };
  if (entry.checkpointKeyId !== undefined)
    log.checkpointKeyId = keyId(entry.checkpointKeyId, `${where}.checkpointKeyId`, fail);
  if (typeof entry.hashAlgorithm === 'string') log.hashAlgorithm = entry.hashAlgorithm;
  if (typeof entry.operator === 'string') log.operator = entry.operator;
  return log;
}

function authority(entry: unknown, where: string, fail: Fail): CertificateAuthorityJSON {
  if (!isObject(entry)) return fail(where, 'an object', describe(entry));
  const chain = entry.certChain;
  const certificates = isObject(chain) ? chain.certificates : undefined;
  if (!Array.isArray(certificates) || certificates.length === 0)
    return fail(`${where}.certChain.certificates`, 'at least one certificate', describe(certificates));
  const ca: CertificateAuthorityJSON = {
    certChain: {
      certificates: certificates.map((cert: unknown, i) => ({
        rawBytes: text(
          isObject(cert) ? cert.rawBytes : undefined,
          `${where}.certChain.certificates[${i}].rawBytes`,
          fail,
        ),
      })),
    },
    validFor: timeRange(entry.validFor, `${where}.validFor`, fail),
  };
  if (typeof entry.uri === 'string') ca.uri = entry.uri;
  if (typeof entry.operator === 'string') ca.operator = entry.operator;
  if (isObject(entry.subject)) {
    const { organization, commonName } = entry.subject;
    ca.subject = {
      ...(typeof organization === 'string' ? { organization } : {}),
      ...(typeof commonName === 'string' ? { commonName } : {}),
    };
  }
  return ca;
}

function timeRange(value: unknown, where: string, fail: Fail): TimeRangeJSON {
  if (!isObject(value)) return fail(`${where}.start`, 'the time from which it is trusted', 'no validFor');
  const { start, end } = value;
  if (start === undefined) return fail(`${where}.start`, 'the time from which it is trusted', 'none');
  const range: TimeRangeJSON = { start: time(start, `${where}.start`, fail) };
  if (end !== undefined) {
    range.end = time(end, `${where}.end`, fail);
    if (Date.parse(range.end) < Date.parse(range.start))
      return fail(`${where}.end`, `a time after the start (${range.start})`, range.end);
  }
  return range;
}

function time(value: unknown, where: string, fail: Fail): string {
  if (typeof value !== 'string' || !RFC3339.test(value) || Number.isNaN(Date.parse(value)))
    return fail(where, 'an RFC 3339 time', describe(value));
  return value;
}

function keyId(value: unknown, where: string, fail: Fail): { keyId: string } {
  return { keyId: text(isObject(value) ? value.keyId : undefined, `${where}.keyId`, fail) };
}

function text(value: unknown, where: string, fail: Fail): string {
  if (typeof value !== 'string' || value === '') return fail(where, 'a non-empty string', describe(value));
  return value;
}

function list(value: unknown, where: string, fail: Fail): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return fail(where, 'a list', describe(value));
  return value as unknown[];
}

// Protobuf-JSON reads `null` as "not set" (a Python exporter writes `"end": null`), so nulls are
// dropped before any field is looked at.
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'none';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (Array.isArray(value)) return 'a list';
  return value === null ? 'null' : typeof value;
}
