// cosign's classic attestation layer as the Sigstore bundle it amounts to. Before the bundle format,
// cosign stored each attestation as one `application/vnd.dsse.envelope.v1+json` layer of the
// `sha256-<hex>.att` manifest and put what verifies it offline in the layer's annotations:
//   dev.sigstore.cosign/certificate  the Fulcio leaf (PEM)
//   dev.sigstore.cosign/chain        the intermediates and root (PEM)
//   dev.sigstore.cosign/bundle       {"SignedEntryTimestamp": base64, "Payload": {body, integratedTime, logIndex, logID}}
// That is exactly a v0.1 bundle's content: a DSSE envelope, the leaf, and one log entry with its
// inclusion promise (the SET signs the canonical JSON of the Payload, the same bytes a bundle's
// promise signs). This module only rearranges; nothing is trusted here. Verify mode then runs every
// check a bundle gets on the result, and the envelope's exact bytes go with it, because a Rekor
// `intoto` 0.0.1 entry (cosign 1.x, slsa-github-generator before v1.10) records their hash.
//
// The chain annotation is not carried into the bundle: trust comes from the trusted root's
// certificate authorities, as in cosign when it verifies against a trusted root, and a bundle that
// brought its own root would be refused. It must still be well-formed PEM certificates.

import { isObject, parseJSON } from '../common/json.ts';

export const COSIGN_CERTIFICATE = 'dev.sigstore.cosign/certificate';
export const COSIGN_CHAIN = 'dev.sigstore.cosign/chain';
export const COSIGN_BUNDLE = 'dev.sigstore.cosign/bundle';

const V01 = 'application/vnd.dev.sigstore.bundle+json;version=0.1';
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----\r?\n([A-Za-z0-9+/=\r\n]+?)-----END CERTIFICATE-----/g;
const HEX = /^[0-9a-f]+$/;

export type CosignLayerBundle =
  | { bundle: Record<string, unknown>; loggedEnvelope: string; problem?: undefined }
  | { bundle?: undefined; loggedEnvelope?: undefined; problem: string };

/**
 * The v0.1 bundle for one `.att` layer (`envelope` is the layer's text, `annotations` its
 * descriptor's), or the problem that keeps it from being one.
 */
export function cosignLayerBundle(envelope: string, annotations: Readonly<Record<string, string>>): CosignLayerBundle {
  const problem = (text: string): CosignLayerBundle => ({ problem: text });
  const parsedEnvelope = parseJSON(envelope);
  if (!parsedEnvelope.ok) return problem(`the layer is not JSON (${parsedEnvelope.reason})`);
  const dsse = parsedEnvelope.value;
  if (
    !isObject(dsse) ||
    typeof dsse['payloadType'] !== 'string' ||
    typeof dsse['payload'] !== 'string' ||
    !Array.isArray(dsse['signatures'])
  ) {
    return problem('the layer is not a DSSE envelope (payloadType, payload, signatures)');
  }

  const certificate = annotations[COSIGN_CERTIFICATE];
  if (certificate === undefined || certificate === '') {
    return problem(
      `the layer has no ${COSIGN_CERTIFICATE} annotation: it was signed with a key, not keylessly, and only keyless attestations are read from .att tags`,
    );
  }
  const leaf = pemCertificates(certificate);
  if (leaf?.length !== 1) return problem(`annotation ${COSIGN_CERTIFICATE} is not one PEM certificate`);
  const chain = annotations[COSIGN_CHAIN];
  if (chain !== undefined && chain !== '' && pemCertificates(chain) === undefined)
    return problem(`annotation ${COSIGN_CHAIN} is not PEM certificates`);

  const rekor = annotations[COSIGN_BUNDLE];
  if (rekor === undefined || rekor === '') {
    return problem(
      `the layer has no ${COSIGN_BUNDLE} annotation (the Rekor entry): it was attested without the transparency log, and nothing proves when it was signed`,
    );
  }
  const entry = logEntry(rekor);
  if (typeof entry === 'string') return problem(`annotation ${COSIGN_BUNDLE}: ${entry}`);

  const bundle = {
    mediaType: V01,
    verificationMaterial: {
      x509CertificateChain: { certificates: [{ rawBytes: leaf[0] }] },
      tlogEntries: [entry],
    },
    dsseEnvelope: { payload: dsse['payload'], payloadType: dsse['payloadType'], signatures: dsse['signatures'] },
  };
  return { bundle, loggedEnvelope: envelope };
}

// Base64 DER of each PEM certificate in `text`, or undefined when there is none or anything else
// than certificates and line breaks.
function pemCertificates(text: string): string[] | undefined {
  const found: string[] = [];
  let rest = text;
  for (const match of text.matchAll(PEM_CERTIFICATE)) {
    found.push((match[1] ?? '').replace(/\s+/g, ''));
    rest = rest.replace(match[0], '');
  }
  return found.length > 0 && rest.trim() === '' ? found : undefined;
}

// The bundle's log entry (protobuf-JSON) from cosign's Rekor bundle annotation, or what is wrong with it.
function logEntry(text: string): Record<string, unknown> | string {
  const parsed = parseJSON(text);
  if (!parsed.ok) return `not JSON (${parsed.reason})`;
  const value = parsed.value;
  const set = isObject(value) ? value['SignedEntryTimestamp'] : undefined;
  const payload = isObject(value) ? value['Payload'] : undefined;
  if (typeof set !== 'string' || !isObject(payload)) return 'expected {"SignedEntryTimestamp", "Payload"}';
  const { body, integratedTime, logIndex, logID } = payload;
  if (typeof body !== 'string') return 'Payload.body is not a string';
  if (!isCount(integratedTime) || !isCount(logIndex))
    return 'Payload.integratedTime and Payload.logIndex must be non-negative integers';
  if (typeof logID !== 'string' || logID.length % 2 !== 0 || !HEX.test(logID))
    return 'Payload.logID is not a hex log ID';
  // The entry's kind and version, as the body names them (the SET signs the body, not these).
  const decoded = parseJSON(Buffer.from(body, 'base64'));
  const kind = decoded.ok && isObject(decoded.value) ? decoded.value['kind'] : undefined;
  const version = decoded.ok && isObject(decoded.value) ? decoded.value['apiVersion'] : undefined;
  if (typeof kind !== 'string' || typeof version !== 'string')
    return 'Payload.body is not a Rekor entry (base64 JSON with kind and apiVersion)';
  return {
    logIndex: String(logIndex),
    logId: { keyId: Buffer.from(logID, 'hex').toString('base64') },
    kindVersion: { kind, version },
    integratedTime: String(integratedTime),
    inclusionPromise: { signedEntryTimestamp: set },
    canonicalizedBody: body,
  };
}

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
