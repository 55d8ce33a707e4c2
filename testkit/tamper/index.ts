// A deterministic tamper corpus: from valid bundles, mutants that change one signed or checked
// part each (payload bytes and type, signature, certificate and chain, every log-entry field,
// timestamp tokens, media type, the artifact verified). Seeded, so a failing mutant is reproduced
// by its name alone. An operator applies only where its part exists and is covered by something
// a verifier checks (e.g. a log entry's integrated time only when an inclusion promise signs it):
// every mutant here MUST be rejected.

import { createHash } from 'node:crypto';

export type Part =
  | 'payload'
  | 'payload-type'
  | 'signature'
  | 'message-digest'
  | 'certificate'
  | 'chain'
  | 'tlog-index'
  | 'tlog-time'
  | 'tlog-body'
  | 'tlog-promise'
  | 'tlog-proof'
  | 'tlog-checkpoint'
  | 'tlog-log-id'
  | 'tlog-kind'
  | 'timestamp'
  | 'media-type'
  | 'subject';

export interface Base {
  name: string;
  bundle: unknown;
  /** sha256 hex of the artifact the bundle is verified against (undefined: none given, e.g. SHA-512-only npm subjects). */
  artifactSha256: string | undefined;
}

export interface Mutant {
  /** `<base>/<operator>#<variant>`: unique and stable for a seed. */
  name: string;
  base: string;
  part: Part;
  bundle: unknown;
  /** The artifact to verify against (changed by the `other-artifact` operator). */
  artifactSha256: string | undefined;
}

type Json = Record<string, unknown>;

/** mulberry32: small, fast, and the same sequence everywhere for a seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clone = <T>(v: T): T => structuredClone(v);
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const get = (v: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>(
    (o, k) => (o === null || typeof o !== 'object' ? undefined : (o as Record<string | number, unknown>)[k]),
    v,
  );

/** Flips one random bit of base64 text's bytes (a real change: never a no-op). */
function flipBase64(text: string, rand: () => number, from = 0): string {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length === 0) return Buffer.from([1]).toString('base64');
  const i = from + Math.floor(rand() * Math.max(1, bytes.length - from));
  const at = Math.min(i, bytes.length - 1);
  bytes[at] = (bytes[at] ?? 0) ^ (1 << Math.floor(rand() * 8));
  return bytes.toString('base64');
}

function flipHexOrBase64(text: string, rand: () => number): string {
  if (/^[0-9a-f]+$/i.test(text) && text.length % 2 === 0) {
    const bytes = Buffer.from(text, 'hex');
    const i = Math.floor(rand() * bytes.length);
    bytes[i] = (bytes[i] ?? 0) ^ (1 << Math.floor(rand() * 8));
    return bytes.toString('hex');
  }
  return flipBase64(text, rand);
}

/**
 * One bit flipped in what an RFC 3161 token's signature covers or is: the timestamp info and the
 * signer info. Not in the certificates the token may embed: verifiers take the TSA's certificates
 * from the trusted root and ignore embedded ones by design, as they ignore a key hint.
 */
function flipSignedTimestamp(text: string, rand: () => number): string {
  const token = Buffer.from(text, 'base64');
  const signedData = derChildren(
    token,
    derChildren(token, derChildren(token, { start: 0, end: token.length })[0])[1],
  )[0];
  // SignedData: version, digestAlgorithms, encapContentInfo, [0] certificates?, [1] crls?, signerInfos.
  const parts =
    signedData === undefined
      ? []
      : derChildren(token, signedData)
          .filter((p) => p.tag !== 0xa0 && p.tag !== 0xa1 && p.tag !== 0x02 && p.tag !== 0x31)
          .concat(
            derChildren(token, signedData)
              .filter((p) => p.tag === 0x31)
              .slice(-1),
          );
  const ranges = parts.length > 0 ? parts : [{ start: 0, end: token.length, tag: 0 }];
  const range = ranges[Math.floor(rand() * ranges.length)] ?? { start: 0, end: token.length };
  const i = range.start + Math.floor(rand() * (range.end - range.start));
  token[i] = (token[i] ?? 0) ^ (1 << Math.floor(rand() * 8));
  return token.toString('base64');
}

interface DerPart {
  tag: number;
  /** The whole element, header included. */
  start: number;
  end: number;
  /** Where its content starts. */
  body: number;
}

/** The elements inside a constructed DER element (or, for `{start: 0, end}`, at the top level). */
function derChildren(buf: Buffer, parent: { start: number; end: number; body?: number } | undefined): DerPart[] {
  if (parent === undefined) return [];
  const out: DerPart[] = [];
  let at = parent.body ?? parent.start;
  while (at + 2 <= parent.end) {
    const tag = buf[at] ?? 0;
    let len = buf[at + 1] ?? 0;
    let body = at + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let k = 0; k < n; k++) len = len * 256 + (buf[body + k] ?? 0);
      body += n;
    }
    out.push({ tag, start: at, end: body + len, body });
    at = body + len;
  }
  return out;
}

/**
 * One bit flipped in what frames a certificate rather than what its signature covers: the outer
 * SEQUENCE tag, the tags of its three parts, the signature's unused-bits byte, or the outer
 * signature algorithm. A random flip rarely lands on these few bytes, and parsers skip most of them.
 */
function flipCertificateFrame(text: string, rand: () => number): string {
  const cert = Buffer.from(text, 'base64');
  const [tbs, algorithm, signature] = derChildren(cert, derChildren(cert, { start: 0, end: cert.length })[0]);
  const places = [
    0,
    tbs?.start,
    algorithm?.start,
    signature?.start,
    signature?.body,
    algorithm && algorithm.body + Math.floor(rand() * (algorithm.end - algorithm.body)),
  ].filter((p): p is number => p !== undefined);
  const at = places[Math.floor(rand() * places.length)] ?? 0;
  cert[at] = (cert[at] ?? 0) ^ (1 << Math.floor(rand() * 8));
  return cert.toString('base64');
}

interface Operator {
  name: string;
  part: Part;
  variants: number;
  /** The mutated bundle, or undefined when the operator does not apply to this bundle. */
  apply: (
    bundle: Json,
    rand: () => number,
    others: readonly Json[],
    base: Base,
  ) => Json | undefined | { bundle: Json; artifactSha256: string };
}

const envelope = (b: Json): Json | undefined => (isObj(b['dsseEnvelope']) ? b['dsseEnvelope'] : undefined);
const material = (b: Json): Json | undefined =>
  isObj(b['verificationMaterial']) ? b['verificationMaterial'] : undefined;
const tlogEntries = (b: Json): Json[] => {
  const list = material(b)?.['tlogEntries'];
  return Array.isArray(list) ? list.filter(isObj) : [];
};
const firstEntry = (b: Json): Json | undefined => tlogEntries(b)[0];
const timestamps = (b: Json): Json[] => {
  const list = get(material(b), 'timestampVerificationData', 'rfc3161Timestamps');
  return Array.isArray(list) ? list.filter(isObj) : [];
};
/** Whether the first log entry's time is what the bundle's trusted time rests on, signed by its promise. */
const promised = (b: Json): boolean => isObj(firstEntry(b)?.['inclusionPromise']);
const leafCertificate = (b: Json): Json | undefined => {
  const m = material(b);
  if (isObj(m?.['certificate'])) return m['certificate'];
  const chain = get(m, 'x509CertificateChain', 'certificates');
  return Array.isArray(chain) && isObj(chain[0]) ? chain[0] : undefined;
};

/** Changes the statement inside the payload (re-encoded), as a forger editing the claims would. */
function editStatement(b: Json, edit: (statement: Json) => void): Json | undefined {
  const env = envelope(b);
  if (!env || typeof env['payload'] !== 'string') return undefined;
  let statement: unknown;
  try {
    statement = JSON.parse(Buffer.from(env['payload'], 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isObj(statement)) return undefined;
  edit(statement);
  env['payload'] = Buffer.from(JSON.stringify(statement)).toString('base64');
  return b;
}

const OPERATORS: readonly Operator[] = [
  // The payload and its type: what the signature is over.
  {
    name: 'payload-bit',
    part: 'payload',
    variants: 4,
    apply: (b, r) => {
      const e = envelope(b);
      if (!e || typeof e['payload'] !== 'string') return undefined;
      e['payload'] = flipBase64(e['payload'], r);
      return b;
    },
  },
  {
    name: 'payload-appended',
    part: 'payload',
    variants: 1,
    apply: (b) => {
      const e = envelope(b);
      if (!e || typeof e['payload'] !== 'string') return undefined;
      e['payload'] = Buffer.concat([Buffer.from(e['payload'], 'base64'), Buffer.from(' ')]).toString('base64');
      return b;
    },
  },
  {
    name: 'payload-type',
    part: 'payload-type',
    variants: 2,
    apply: (b, r) => {
      const e = envelope(b);
      if (!e) return undefined;
      e['payloadType'] = r() < 0.5 ? 'application/json' : 'application/vnd.in-toto+json;v=2';
      return b;
    },
  },
  {
    name: 'statement-subject-digest',
    part: 'subject',
    variants: 1,
    apply: (b) =>
      editStatement(b, (s) => {
        const subj = s['subject'];
        if (Array.isArray(subj) && isObj(subj[0]) && isObj(subj[0]['digest']))
          subj[0]['digest'] = { sha256: 'f'.repeat(64) };
      }),
  },
  {
    name: 'statement-subject-name',
    part: 'subject',
    variants: 1,
    apply: (b) =>
      editStatement(b, (s) => {
        const subj = s['subject'];
        if (Array.isArray(subj) && isObj(subj[0])) subj[0]['name'] = 'forged.tar.gz';
      }),
  },
  {
    name: 'statement-predicate-type',
    part: 'payload',
    variants: 1,
    apply: (b) =>
      editStatement(b, (s) => {
        s['predicateType'] = 'https://slsa.dev/provenance/v0.2';
      }),
  },
  {
    name: 'statement-predicate',
    part: 'payload',
    variants: 1,
    apply: (b) =>
      editStatement(b, (s) => {
        s['predicate'] = { buildDefinition: { buildType: 'https://evil.example/build' } };
      }),
  },
  // The artifact: a valid bundle for another artifact.
  {
    name: 'other-artifact',
    part: 'subject',
    variants: 1,
    apply: (b, _r, _o, base) =>
      base.artifactSha256 === undefined
        ? undefined
        : { bundle: b, artifactSha256: createHash('sha256').update(`not ${base.artifactSha256}`).digest('hex') },
  },
  // Signatures.
  {
    name: 'dsse-signature-bit',
    part: 'signature',
    variants: 4,
    apply: (b, r) => {
      const sig = get(envelope(b), 'signatures', 0);
      if (!isObj(sig) || typeof sig['sig'] !== 'string') return undefined;
      sig['sig'] = flipBase64(sig['sig'], r);
      return b;
    },
  },
  {
    name: 'dsse-signature-truncated',
    part: 'signature',
    variants: 1,
    apply: (b) => {
      const sig = get(envelope(b), 'signatures', 0);
      if (!isObj(sig) || typeof sig['sig'] !== 'string') return undefined;
      sig['sig'] = Buffer.from(sig['sig'], 'base64').subarray(0, 8).toString('base64');
      return b;
    },
  },
  {
    name: 'dsse-signature-removed',
    part: 'signature',
    variants: 1,
    apply: (b) => {
      const e = envelope(b);
      if (!e) return undefined;
      e['signatures'] = [];
      return b;
    },
  },
  {
    name: 'dsse-signature-swapped',
    part: 'signature',
    variants: 1,
    apply: (b, _r, others) => {
      const sig = get(envelope(b), 'signatures', 0);
      const other = others
        .map((o) => get(envelope(o), 'signatures', 0, 'sig'))
        .find((s) => typeof s === 'string' && s !== get(sig, 'sig'));
      if (!isObj(sig) || typeof other !== 'string') return undefined;
      sig['sig'] = other;
      return b;
    },
  },
  {
    name: 'message-signature-bit',
    part: 'signature',
    variants: 2,
    apply: (b, r) => {
      const m = b['messageSignature'];
      if (!isObj(m) || typeof m['signature'] !== 'string') return undefined;
      m['signature'] = flipBase64(m['signature'], r);
      return b;
    },
  },
  {
    name: 'message-digest-bit',
    part: 'message-digest',
    variants: 1,
    apply: (b, r) => {
      const d = get(b, 'messageSignature', 'messageDigest');
      if (!isObj(d) || typeof d['digest'] !== 'string') return undefined;
      d['digest'] = flipBase64(d['digest'], r);
      return b;
    },
  },
  // The certificate and its chain.
  {
    name: 'certificate-bit',
    part: 'certificate',
    variants: 6,
    apply: (b, r) => {
      const c = leafCertificate(b);
      if (!c || typeof c['rawBytes'] !== 'string') return undefined;
      c['rawBytes'] = flipBase64(c['rawBytes'], r);
      return b;
    },
  },
  {
    name: 'certificate-frame',
    part: 'certificate',
    variants: 8,
    apply: (b, r) => {
      const c = leafCertificate(b);
      if (!c || typeof c['rawBytes'] !== 'string') return undefined;
      c['rawBytes'] = flipCertificateFrame(c['rawBytes'], r);
      return b;
    },
  },
  {
    name: 'certificate-swapped',
    part: 'certificate',
    variants: 1,
    apply: (b, _r, others) => {
      const c = leafCertificate(b);
      const other = others
        .map((o) => leafCertificate(o)?.['rawBytes'])
        .find((raw) => typeof raw === 'string' && raw !== c?.['rawBytes']);
      if (!c || typeof other !== 'string') return undefined;
      c['rawBytes'] = other;
      return b;
    },
  },
  {
    name: 'chain-leaf-dropped',
    part: 'chain',
    variants: 1,
    apply: (b) => {
      const list = get(material(b), 'x509CertificateChain', 'certificates');
      if (!Array.isArray(list) || list.length < 2) return undefined;
      list.shift();
      return b;
    },
  },
  {
    name: 'chain-reversed',
    part: 'chain',
    variants: 1,
    apply: (b) => {
      const list = get(material(b), 'x509CertificateChain', 'certificates');
      if (!Array.isArray(list) || list.length < 2) return undefined;
      list.reverse();
      return b;
    },
  },
  // The transparency log entry, field by field.
  {
    name: 'tlog-index',
    part: 'tlog-index',
    variants: 2,
    apply: (b, r) => {
      const e = firstEntry(b);
      if (!e || !promised(b)) return undefined;
      e['logIndex'] = String(Number(e['logIndex'] ?? 0) + 1 + Math.floor(r() * 1000));
      return b;
    },
  },
  {
    name: 'tlog-time',
    part: 'tlog-time',
    variants: 2,
    apply: (b, r) => {
      const e = firstEntry(b);
      if (!e || !promised(b)) return undefined;
      e['integratedTime'] = String(Number(e['integratedTime'] ?? 0) + (r() < 0.5 ? -3600 : 1));
      return b;
    },
  },
  {
    name: 'tlog-body-bit',
    part: 'tlog-body',
    variants: 4,
    apply: (b, r) => {
      const e = firstEntry(b);
      if (!e || typeof e['canonicalizedBody'] !== 'string') return undefined;
      e['canonicalizedBody'] = flipBase64(e['canonicalizedBody'], r);
      return b;
    },
  },
  {
    name: 'tlog-body-swapped',
    part: 'tlog-body',
    variants: 1,
    apply: (b, _r, others) => {
      const e = firstEntry(b);
      const other = others
        .map((o) => firstEntry(o)?.['canonicalizedBody'])
        .find((body) => typeof body === 'string' && body !== e?.['canonicalizedBody']);
      if (!e || typeof other !== 'string') return undefined;
      e['canonicalizedBody'] = other;
      return b;
    },
  },
  {
    name: 'tlog-promise-bit',
    part: 'tlog-promise',
    variants: 2,
    apply: (b, r) => {
      const p = firstEntry(b)?.['inclusionPromise'];
      if (!isObj(p) || typeof p['signedEntryTimestamp'] !== 'string') return undefined;
      p['signedEntryTimestamp'] = flipBase64(p['signedEntryTimestamp'], r);
      return b;
    },
  },
  {
    name: 'tlog-proof-hash',
    part: 'tlog-proof',
    variants: 3,
    apply: (b, r) => {
      const hashes = get(firstEntry(b), 'inclusionProof', 'hashes');
      if (!Array.isArray(hashes) || hashes.length === 0) return undefined;
      const i = Math.floor(r() * hashes.length);
      const h: unknown = hashes[i];
      if (typeof h !== 'string') return undefined;
      hashes[i] = flipHexOrBase64(h, r);
      return b;
    },
  },
  {
    name: 'tlog-proof-root',
    part: 'tlog-proof',
    variants: 1,
    apply: (b, r) => {
      const p = get(firstEntry(b), 'inclusionProof');
      if (!isObj(p) || typeof p['rootHash'] !== 'string') return undefined;
      p['rootHash'] = flipHexOrBase64(p['rootHash'], r);
      return b;
    },
  },
  {
    name: 'tlog-proof-size',
    part: 'tlog-proof',
    variants: 1,
    apply: (b) => {
      const p = get(firstEntry(b), 'inclusionProof');
      if (!isObj(p) || p['treeSize'] === undefined) return undefined;
      p['treeSize'] = String(Number(p['treeSize']) + 1);
      return b;
    },
  },
  {
    name: 'tlog-proof-index',
    part: 'tlog-proof',
    variants: 1,
    apply: (b) => {
      const p = get(firstEntry(b), 'inclusionProof');
      if (!isObj(p) || p['logIndex'] === undefined || Number(p['treeSize'] ?? 0) < 2) return undefined;
      p['logIndex'] = String((Number(p['logIndex']) + 1) % Number(p['treeSize']));
      return b;
    },
  },
  {
    name: 'tlog-proof-removed',
    part: 'tlog-proof',
    variants: 1,
    apply: (b) => {
      const e = firstEntry(b);
      if (!e || !isObj(e['inclusionProof']) || promised(b)) return undefined;
      delete e['inclusionProof'];
      return b;
    },
  },
  {
    name: 'tlog-checkpoint-root',
    part: 'tlog-checkpoint',
    variants: 1,
    apply: (b) => {
      const c = get(firstEntry(b), 'inclusionProof', 'checkpoint');
      if (!isObj(c) || typeof c['envelope'] !== 'string') return undefined;
      const lines = c['envelope'].split('\n');
      if (lines.length < 4 || lines[2] === undefined) return undefined;
      lines[2] = Buffer.alloc(32, 7).toString('base64');
      c['envelope'] = lines.join('\n');
      return b;
    },
  },
  {
    name: 'tlog-checkpoint-size',
    part: 'tlog-checkpoint',
    variants: 1,
    apply: (b) => {
      const c = get(firstEntry(b), 'inclusionProof', 'checkpoint');
      if (!isObj(c) || typeof c['envelope'] !== 'string') return undefined;
      const lines = c['envelope'].split('\n');
      if (lines.length < 4 || lines[1] === undefined) return undefined;
      lines[1] = String(Number(lines[1]) + 1);
      c['envelope'] = lines.join('\n');
      return b;
    },
  },
  {
    name: 'tlog-checkpoint-signature',
    part: 'tlog-checkpoint',
    variants: 2,
    apply: (b, r) => {
      const c = get(firstEntry(b), 'inclusionProof', 'checkpoint');
      if (!isObj(c) || typeof c['envelope'] !== 'string') return undefined;
      // Signature lines: "— <name> <base64(keyhint ‖ signature)>". Every one is flipped after its 4-byte
      // key hint: a note may carry witnesses' cosignatures, which a verifier rightly ignores.
      const lines = c['envelope'].split('\n').map((line) => {
        if (!line.startsWith('\u2014 ')) return line;
        const parts = line.split(' ');
        parts[parts.length - 1] = flipBase64(parts[parts.length - 1] ?? '', r, 4);
        return parts.join(' ');
      });
      c['envelope'] = lines.join('\n');
      return b;
    },
  },
  {
    name: 'tlog-log-id',
    part: 'tlog-log-id',
    variants: 1,
    apply: (b, r) => {
      const id = get(firstEntry(b), 'logId');
      if (!isObj(id) || typeof id['keyId'] !== 'string') return undefined;
      id['keyId'] = flipBase64(id['keyId'], r);
      return b;
    },
  },
  {
    name: 'tlog-kind',
    part: 'tlog-kind',
    variants: 1,
    apply: (b) => {
      const kv = firstEntry(b)?.['kindVersion'];
      if (!isObj(kv)) return undefined;
      kv['kind'] = kv['kind'] === 'hashedrekord' ? 'dsse' : 'hashedrekord';
      return b;
    },
  },
  {
    name: 'tlog-version',
    part: 'tlog-kind',
    variants: 1,
    apply: (b) => {
      const kv = firstEntry(b)?.['kindVersion'];
      if (!isObj(kv)) return undefined;
      kv['version'] = '9.9.9';
      return b;
    },
  },
  // RFC 3161 timestamps: only where the bundle's trusted time rests on them (no promised log time).
  {
    name: 'timestamp-bit',
    part: 'timestamp',
    variants: 3,
    apply: (b, r) => {
      const t = timestamps(b)[0];
      if (!t || typeof t['signedTimestamp'] !== 'string' || promised(b)) return undefined;
      t['signedTimestamp'] = flipSignedTimestamp(t['signedTimestamp'], r);
      return b;
    },
  },
  {
    name: 'timestamp-swapped',
    part: 'timestamp',
    variants: 1,
    apply: (b, _r, others) => {
      const t = timestamps(b)[0];
      const other = others
        .map((o) => timestamps(o)[0]?.['signedTimestamp'])
        .find((s) => typeof s === 'string' && s !== t?.['signedTimestamp']);
      if (!t || typeof other !== 'string' || promised(b)) return undefined;
      t['signedTimestamp'] = other;
      return b;
    },
  },
  // The media type.
  {
    name: 'media-type',
    part: 'media-type',
    variants: 2,
    apply: (b, r) => {
      b['mediaType'] = r() < 0.5 ? 'application/vnd.dev.sigstore.bundle.v9+json' : 'application/json';
      return b;
    },
  },
];

export const OPERATOR_NAMES: readonly string[] = OPERATORS.map((o) => o.name);

/** Every mutant of every base, in a stable order for the seed. */
export function mutants(seed: number, bases: readonly Base[]): Mutant[] {
  const out: Mutant[] = [];
  const bundles = bases.map((b) => b.bundle).filter(isObj);
  bases.forEach((base, bi) => {
    if (!isObj(base.bundle)) return;
    OPERATORS.forEach((op, oi) => {
      for (let v = 0; v < op.variants; v++) {
        const rand = prng(
          seed ^ Math.imul(bi + 1, 0x9e3779b1) ^ Math.imul(oi + 1, 0x85ebca6b) ^ Math.imul(v + 1, 0xc2b2ae35),
        );
        const result = op.apply(clone(base.bundle as Json), rand, bundles, base);
        if (result === undefined) continue;
        const mutated =
          'artifactSha256' in result && isObj(result['bundle'])
            ? (result as { bundle: Json; artifactSha256: string })
            : { bundle: result as Json, artifactSha256: base.artifactSha256 };
        // A mutation that changed nothing is no mutant (e.g. a flip undone by a second flip).
        if (
          JSON.stringify(mutated.bundle) === JSON.stringify(base.bundle) &&
          mutated.artifactSha256 === base.artifactSha256
        )
          continue;
        out.push({
          name: `${base.name}/${op.name}#${v}`,
          base: base.name,
          part: op.part,
          bundle: mutated.bundle,
          artifactSha256: mutated.artifactSha256,
        });
      }
    });
  });
  return out;
}
