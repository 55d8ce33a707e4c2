// Tamper operators for cosign's classic attestation layers: what is changed is the layer (the DSSE
// envelope's bytes) or its annotations, the way an attacker with write access to a registry could
// change them, before verify mode makes the layer into a bundle. Every mutant MUST be rejected; each
// names the part it changed, so the test can hold the rejection to a check that belongs to it.

import { COSIGN_BUNDLE, COSIGN_CERTIFICATE, COSIGN_CHAIN } from '../../src/registry/cosign-bundle.ts';

export interface CosignLayer {
  name: string;
  envelope: string;
  annotations: Record<string, string>;
}

export type LayerPart = 'annotations' | 'set' | 'certificate' | 'entry' | 'envelope';

export interface LayerMutant {
  name: string;
  base: string;
  part: LayerPart;
  layer: CosignLayer;
}

type Operator = {
  name: string;
  part: LayerPart;
  apply: (layer: CosignLayer, others: readonly CosignLayer[]) => CosignLayer | undefined;
};

interface RekorBundle {
  SignedEntryTimestamp: string;
  Payload: { body: string; integratedTime: number; logIndex: number; logID: string };
}

const rekorOf = (layer: CosignLayer): RekorBundle =>
  JSON.parse(layer.annotations[COSIGN_BUNDLE] ?? '{}') as RekorBundle;
const withRekor = (layer: CosignLayer, change: (r: RekorBundle) => void): CosignLayer => {
  const rekor = rekorOf(layer);
  change(rekor);
  return { ...layer, annotations: { ...layer.annotations, [COSIGN_BUNDLE]: JSON.stringify(rekor) } };
};
const entryKind = (layer: CosignLayer): string => {
  const body = JSON.parse(Buffer.from(rekorOf(layer).Payload.body, 'base64').toString('utf8')) as {
    kind: string;
    apiVersion: string;
  };
  return `${body.kind}/${body.apiVersion}`;
};
const flipBase64 = (text: string, at: number): string => {
  const bytes = Buffer.from(text, 'base64');
  const i = Math.min(at, bytes.length - 1);
  bytes[i] = (bytes[i] ?? 0) ^ 0x01;
  return bytes.toString('base64');
};
const other = (layer: CosignLayer, others: readonly CosignLayer[]): CosignLayer | undefined =>
  others.find((o) => o.name !== layer.name);
const withoutAnnotation = (layer: CosignLayer, key: string): CosignLayer => {
  const annotations = { ...layer.annotations };
  delete annotations[key];
  return { ...layer, annotations };
};

const OPERATORS: readonly Operator[] = [
  // Another attestation's verification material beside this envelope.
  {
    name: 'annotations-swapped',
    part: 'annotations',
    apply: (l, o) => {
      const x = other(l, o);
      return x && { ...l, annotations: { ...x.annotations } };
    },
  },
  {
    name: 'certificate-swapped',
    part: 'certificate',
    apply: (l, o) => {
      const x = other(l, o);
      return (
        x && { ...l, annotations: { ...l.annotations, [COSIGN_CERTIFICATE]: x.annotations[COSIGN_CERTIFICATE] ?? '' } }
      );
    },
  },
  { name: 'certificate-removed', part: 'certificate', apply: (l) => withoutAnnotation(l, COSIGN_CERTIFICATE) },
  {
    name: 'chain-not-pem',
    part: 'certificate',
    apply: (l) => ({ ...l, annotations: { ...l.annotations, [COSIGN_CHAIN]: 'not a certificate' } }),
  },
  {
    name: 'rekor-bundle-swapped',
    part: 'entry',
    apply: (l, o) => {
      const x = other(l, o);
      return x && { ...l, annotations: { ...l.annotations, [COSIGN_BUNDLE]: x.annotations[COSIGN_BUNDLE] ?? '' } };
    },
  },
  { name: 'rekor-bundle-removed', part: 'entry', apply: (l) => withoutAnnotation(l, COSIGN_BUNDLE) },
  // The SET, and each field it signs.
  {
    name: 'set-bit',
    part: 'set',
    apply: (l) =>
      withRekor(l, (r) => {
        r.SignedEntryTimestamp = flipBase64(r.SignedEntryTimestamp, 20);
      }),
  },
  {
    name: 'set-swapped',
    part: 'set',
    apply: (l, o) => {
      const x = other(l, o);
      return (
        x &&
        withRekor(l, (r) => {
          r.SignedEntryTimestamp = rekorOf(x).SignedEntryTimestamp;
        })
      );
    },
  },
  {
    name: 'integrated-time',
    part: 'set',
    apply: (l) =>
      withRekor(l, (r) => {
        r.Payload.integratedTime -= 3600;
      }),
  },
  {
    name: 'log-index',
    part: 'set',
    apply: (l) =>
      withRekor(l, (r) => {
        r.Payload.logIndex += 1;
      }),
  },
  {
    name: 'log-id',
    part: 'set',
    apply: (l) =>
      withRekor(l, (r) => {
        r.Payload.logID = `${r.Payload.logID.slice(0, -1)}${r.Payload.logID.endsWith('0') ? '1' : '0'}`;
      }),
  },
  {
    name: 'body-bit',
    part: 'set',
    apply: (l) =>
      withRekor(l, (r) => {
        r.Payload.body = flipBase64(r.Payload.body, 40);
      }),
  },
  // The envelope itself: its bytes (as logged), payload and signature.
  // The same envelope in other bytes: only an intoto 0.0.1 entry records the bytes (a dsse entry
  // records the signature and payload hash, which stay the same), so only there is it a change.
  {
    name: 'envelope-reserialized',
    part: 'envelope',
    apply: (l) =>
      entryKind(l) === 'intoto/0.0.1' ? { ...l, envelope: JSON.stringify(JSON.parse(l.envelope), null, 1) } : undefined,
  },
  {
    name: 'payload-bit',
    part: 'envelope',
    apply: (l) => {
      const e = JSON.parse(l.envelope) as { payload: string };
      return { ...l, envelope: JSON.stringify({ ...e, payload: flipBase64(e.payload, 100) }) };
    },
  },
  {
    name: 'signature-bit',
    part: 'envelope',
    apply: (l) => {
      const e = JSON.parse(l.envelope) as { signatures: { keyid: string; sig: string }[] };
      return {
        ...l,
        envelope: JSON.stringify({ ...e, signatures: e.signatures.map((s) => ({ ...s, sig: flipBase64(s.sig, 10) })) }),
      };
    },
  },
  {
    name: 'envelope-swapped',
    part: 'envelope',
    apply: (l, o) => {
      const x = other(l, o);
      return x && { ...l, envelope: x.envelope };
    },
  },
];

export const LAYER_OPERATOR_NAMES: readonly string[] = OPERATORS.map((o) => o.name);

/** Every operator applied to every base layer (the others supply what is swapped in). */
export function layerMutants(bases: readonly CosignLayer[]): LayerMutant[] {
  return bases.flatMap((base) =>
    OPERATORS.flatMap((op) => {
      const layer = op.apply(structuredClone(base), bases);
      return layer === undefined ? [] : [{ name: `${base.name}/${op.name}`, base: base.name, part: op.part, layer }];
    }),
  );
}
