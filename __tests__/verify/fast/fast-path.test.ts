// The fast path (src/verify/fast/fast-path.ts) against the full path (verifyBundleCrypto), bundle by
// bundle: whenever the fast path passes a bundle, the full path passes it with a deep-equal result;
// whenever the full path fails one, the fast path did not pass it. Over the conformance suite's 70
// cases (pass and fail, artifact and digest), the real-world bundles, bundles our local stack signs
// (log only, timestamp only, both), and mutants of them: testkit/tamper's corpus, every JSON field
// of the common bundle removed, nulled, retyped or respelled, trusted roots whose validity windows
// straddle the signing time, and log entries logged again by a log whose key the test holds (any
// body, time, index, Merkle tree, checkpoint note), so that each log rule is tested alone.
// It also checks that the fast path is taken for the common bundles. The counts are printed.

import assert from 'node:assert/strict';
import { createHash, X509Certificate as NodeX509 } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { verifyBundleCrypto, type CryptoOptions } from '../../../src/verify/crypto/index.ts';
import { verifyBundleFast } from '../../../src/verify/fast/fast-path.ts';
import { runCryptoJobs } from '../../../src/verify/workers/crypto-pool.ts';
import { createTrust, validateTrustedRoot, type Trust } from '../../../src/verify/trust/index.ts';
import { publicGoodSnapshotDocument } from '../../../src/verify/trust/public-good.ts';
import type { VerifiedBundle } from '../../../src/verify/types.ts';
import { startLocalServices, type LocalServices } from '../../../testkit/index.ts';
import { provenanceStatement, signStatement } from '../../../testkit/sign.ts';
import { mutants } from '../../../testkit/tamper/index.ts';
import { cosignLayerBundle } from '../../../src/registry/cosign-bundle.ts';
import { CORPUS, caseTrust, cosignContainerLayers, publicGoodTrust } from '../crypto/corpus.ts';
import { mockInstance, type Extension, type SignOptions } from '../crypto/mock-instance.ts';
import { relog, rootWithLog, testLog, type Relog, type TestLog } from '../crypto/relog.ts';

type Json = Record<string, unknown>;
const REAL_WORLD = fileURLToPath(new URL('../../fixtures/real-world/', import.meta.url));
const SEEDS = [20261122, 6];

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const get = (v: unknown, ...keys: (string | number)[]): unknown =>
  keys.reduce<unknown>(
    (o, k) => (o !== null && typeof o === 'object' ? (o as Record<string | number, unknown>)[k] : undefined),
    v,
  );
const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const clone = <T>(v: T): T => structuredClone(v);

// --- The comparison -------------------------------------------------------------------------

const tally = { cases: 0, fast: 0, fullOnly: 0, bothFail: 0 };
const fullOnlyShapes = new Map<string, number>();

/** Runs both paths; fails the test when the fast path passes what the full path does not, or differently. */
function compare(
  label: string,
  input: unknown,
  trust: Trust,
  options: CryptoOptions = {},
): 'fast' | 'full-only' | 'both-fail' {
  tally.cases++;
  const fast = verifyBundleFast(input, trust, options);
  let full: VerifiedBundle | undefined;
  let failure: unknown;
  try {
    full = verifyBundleCrypto(input, trust, options);
  } catch (err) {
    failure = err;
  }
  if (fast) {
    assert.ok(
      full,
      `${label}: the fast path passed a bundle the full path fails (${failure instanceof Error ? failure.message : String(failure)})`,
    );
    assert.deepStrictEqual(fast, full, `${label}: the two paths pass it with different results`);
    tally.fast++;
    return 'fast';
  }
  if (full) {
    tally.fullOnly++;
    return 'full-only';
  }
  tally.bothFail++;
  return 'both-fail';
}

// --- The bases ------------------------------------------------------------------------------

interface Base {
  name: string;
  bundle: unknown;
  trust: Trust;
  root: Json | undefined; // the trusted root JSON, where the test may vary it
  options: CryptoOptions;
  artifactSha256: string | undefined;
}

function firstSha256(bundle: unknown): string | undefined {
  const payload = get(bundle, 'dsseEnvelope', 'payload');
  if (typeof payload !== 'string') return undefined;
  try {
    const digest = get(JSON.parse(Buffer.from(payload, 'base64').toString('utf8')), 'subject', 0, 'digest', 'sha256');
    return typeof digest === 'string' ? digest : undefined;
  } catch {
    return undefined;
  }
}

const publicGoodRoot = (): Json => publicGoodSnapshotDocument() as Json;

const trustOf = (...roots: Json[]): Trust =>
  createTrust(roots.map((root, i) => validateTrustedRoot(clone(root), `test root ${i}`)));

function realWorldBases(trust: Trust): Base[] {
  return readdirSync(REAL_WORLD)
    .filter((f) => f.endsWith('.json') || f.endsWith('.jsonl'))
    .sort()
    .flatMap((file) => {
      const text = readFileSync(path.join(REAL_WORLD, file), 'utf8');
      const bundles: unknown[] = file.endsWith('.jsonl')
        ? text
            .split('\n')
            .filter((l) => l.trim() !== '')
            .map((l) => JSON.parse(l) as unknown)
        : [JSON.parse(text) as unknown];
      return bundles.map((bundle, i) => ({
        name: `real-world:${file}#${i}`,
        bundle,
        trust,
        root: publicGoodRoot(),
        options: {},
        artifactSha256: firstSha256(bundle),
      }));
    });
}

let services: LocalServices;
const own: Base[] = [];
let ownRoot: Json;
let realWorld: Base[] = [];

before(async () => {
  services = await startLocalServices();
  ownRoot = clone(services.sigstore.trustedRoot) as unknown as Json;
  const trust = trustOf(ownRoot);
  const noLogs = trustOf({ ...ownRoot, tlogs: [] });
  const subject = [{ name: 'app.tar.gz', digest: { sha256: sha256('the release') } }];
  const many = Array.from({ length: 40 }, (_, i) => ({
    name: `file-${i}`,
    digest: { sha256: sha256(`file ${i}`), sha512: createHash('sha512').update(`file ${i}`).digest('hex') },
  }));
  const made: [string, typeof subject, ('rekor' | 'tsa')[]][] = [
    ['rekor', subject, ['rekor']],
    ['rekor-many-subjects', many, ['rekor']],
    ['tsa', subject, ['tsa']],
    ['rekor+tsa', subject, ['rekor', 'tsa']],
  ];
  for (const [name, subjects, witnesses] of made) {
    const logged = witnesses.includes('rekor');
    const bundle = await signStatement(services, provenanceStatement(services, subjects), { witnesses });
    own.push({
      name: `ours:${name}`,
      bundle,
      trust: logged ? trust : noLogs,
      root: logged ? ownRoot : undefined,
      options: {},
      artifactSha256: subjects[0]?.digest.sha256,
    });
  }
  realWorld = realWorldBases(await publicGoodTrust());
});

after(async () => {
  await services.stop();
  console.log(
    `fast path vs full path: ${tally.cases} comparisons; fast path passed ${tally.fast} (full path deep-equal every time), ` +
      `full path alone passed ${tally.fullOnly}, both failed ${tally.bothFail}`,
  );
  console.log(`passed by the full path alone, by base: ${[...fullOnlyShapes].map(([k, v]) => `${k} ${v}`).join(', ')}`);
});

// The bases the fast path passes: the mutants below start from these.
function fastBases(): Base[] {
  return [...realWorld, ...own].filter((b) => compare(`${b.name} (base)`, b.bundle, b.trust, b.options) === 'fast');
}

// --- JSON mutations: every field, removed, nulled, retyped, respelled -------------------------

type Path = (string | number)[];

function paths(value: unknown, at: Path = []): Path[] {
  const out: Path[] = at.length > 0 ? [at] : [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...at, i])));
  else if (isObj(value)) for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

/** A copy of `root` with `edit` applied to the parent of `at` (undefined when the edit declines). */
function edited(
  root: unknown,
  at: Path,
  edit: (parent: Json | unknown[], key: string | number, value: unknown) => boolean,
): unknown {
  const copy = clone(root);
  const parent = get(copy, ...at.slice(0, -1));
  const key = at[at.length - 1];
  if (key === undefined || parent === null || typeof parent !== 'object') return undefined;
  const container = parent as Json | unknown[];
  return edit(container, key, (container as Record<string | number, unknown>)[key]) ? copy : undefined;
}

const set = (parent: Json | unknown[], key: string | number, value: unknown): true => {
  (parent as Record<string | number, unknown>)[key] = value;
  return true;
};

const FIELD_EDITS: Record<string, (parent: Json | unknown[], key: string | number, value: unknown) => boolean> = {
  removed: (p, k) => (Array.isArray(p) ? p.splice(Number(k), 1).length === 1 : delete p[k]),
  null: (p, k) => set(p, k, null),
  number: (p, k, v) => typeof v !== 'number' && set(p, k, 7),
  string: (p, k, v) => v !== 'x' && set(p, k, 'x'),
  'empty-string': (p, k, v) => v !== '' && set(p, k, ''),
  object: (p, k, v) => !isObj(v) && set(p, k, {}),
  list: (p, k, v) => !Array.isArray(v) && set(p, k, [v]),
  'extra-field': (_p, _k, v) => isObj(v) && set(v, 'extra', 1),
  'list-emptied': (p, k, v) => Array.isArray(v) && v.length > 0 && set(p, k, []),
  'list-doubled': (p, k, v) => Array.isArray(v) && v.length > 0 && set(p, k, (v as unknown[]).concat(v as unknown[])),
  appended: (p, k, v) => typeof v === 'string' && set(p, k, `${v}A`),
  'base64-bit': (p, k, v) => typeof v === 'string' && /^[A-Za-z0-9+/]{8,}={0,2}$/.test(v) && set(p, k, flipMiddle(v)),
  'base64-url': (p, k, v) =>
    typeof v === 'string' &&
    /[+/]/.test(v) &&
    /^[A-Za-z0-9+/]+={0,2}$/.test(v) &&
    set(p, k, v.replaceAll('+', '-').replaceAll('/', '_')),
  'base64-unpadded': (p, k, v) =>
    typeof v === 'string' && /^[A-Za-z0-9+/]+=+$/.test(v) && set(p, k, v.replace(/=+$/, '')),
  'base64-wrapped': (p, k, v) =>
    typeof v === 'string' &&
    v.length > 80 &&
    /^[A-Za-z0-9+/]+={0,2}$/.test(v) &&
    set(p, k, v.replace(/(.{76})/g, '$1\n')),
  'base64-junk': (p, k, v) =>
    typeof v === 'string' && /^[A-Za-z0-9+/]+={0,2}$/.test(v) && set(p, k, `${v.slice(0, 4)}!${v.slice(4)}`),
  'digits-zero-padded': (p, k, v) => typeof v === 'string' && /^\d+$/.test(v) && set(p, k, `0${v}`),
  'digits-as-number': (p, k, v) =>
    typeof v === 'string' && /^\d+$/.test(v) && Number.isSafeInteger(Number(v)) && set(p, k, Number(v)),
  'digits-plus-one': (p, k, v) => typeof v === 'string' && /^\d+$/.test(v) && set(p, k, String(BigInt(v) + 1n)),
  'digits-negative': (p, k, v) => typeof v === 'string' && /^\d+$/.test(v) && set(p, k, `-${v}`),
  'digits-huge': (p, k, v) => typeof v === 'string' && /^\d+$/.test(v) && set(p, k, '99999999999999999999'),
  zero: (p, k, v) => typeof v === 'string' && /^\d+$/.test(v) && v !== '0' && set(p, k, '0'),
};

function flipMiddle(text: string): string {
  const bytes = Buffer.from(text, 'base64');
  const at = Math.floor(bytes.length / 2);
  bytes[at] = (bytes[at] ?? 0) ^ 0x10;
  return bytes.toString('base64');
}

// Whole-bundle edits: other shapes the fast path must leave to the full path (or pass identically).
const MEDIA_TYPES = [
  'application/vnd.dev.sigstore.bundle+json;version=0.1',
  'application/vnd.dev.sigstore.bundle+json;version=0.2',
  'application/vnd.dev.sigstore.bundle+json;version=0.3',
  'application/vnd.dev.sigstore.bundle.v0.3+json',
  'application/vnd.dev.sigstore.bundle+json;version=0.4',
  'application/vnd.dev.sigstore.bundle.v0.3+json ',
];

function bundleEdits(bundle: unknown): [string, unknown][] {
  const out: [string, unknown][] = MEDIA_TYPES.map((m) => [`media-type ${m}`, { ...(bundle as Json), mediaType: m }]);
  const material = get(bundle, 'verificationMaterial');
  if (!isObj(material)) return out;
  const leaf = get(material, 'certificate') ?? get(material, 'x509CertificateChain', 'certificates', 0);
  const withMaterial = (m: Json): unknown => ({ ...(bundle as Json), verificationMaterial: m });
  const { certificate: _c, x509CertificateChain: _x, ...rest } = material;
  out.push(['leaf as a chain', withMaterial({ ...rest, x509CertificateChain: { certificates: [leaf] } })]);
  out.push(['leaf as a certificate', withMaterial({ ...rest, certificate: leaf })]);
  out.push([
    'certificate and chain',
    withMaterial({ ...rest, certificate: leaf, x509CertificateChain: { certificates: [leaf] } }),
  ]);
  out.push(['public key too', withMaterial({ ...material, publicKey: { hint: 'x' } })]);
  out.push([
    'message signature too',
    {
      ...(bundle as Json),
      messageSignature: {
        messageDigest: { algorithm: 'SHA2_256', digest: Buffer.alloc(32).toString('base64') },
        signature: 'AAAA',
      },
    },
  ]);
  out.push(['timestamps {}', withMaterial({ ...material, timestampVerificationData: {} })]);
  out.push(['timestamps []', withMaterial({ ...material, timestampVerificationData: { rfc3161Timestamps: [] } })]);
  const { timestampVerificationData: _t, ...untimed } = material;
  out.push(['timestamps absent', withMaterial(untimed)]);
  out.push([
    'keyid',
    {
      ...(bundle as Json),
      dsseEnvelope: {
        ...(get(bundle, 'dsseEnvelope') as Json),
        signatures: [{ ...(get(bundle, 'dsseEnvelope', 'signatures', 0) as Json), keyid: 'k' }],
      },
    },
  ]);
  out.push([
    'two log entries',
    withMaterial({ ...material, tlogEntries: [get(material, 'tlogEntries', 0), get(material, 'tlogEntries', 0)] }),
  ]);
  out.push(['no log entries', withMaterial({ ...material, tlogEntries: [] })]);
  out.push([
    'no inclusion proof',
    edited(
      bundle,
      ['verificationMaterial', 'tlogEntries', 0, 'inclusionProof'],
      FIELD_EDITS['removed'] ?? (() => false),
    ),
  ]);
  return out;
}

// A mock instance's bundle (its time from a timestamp authority) with a dsse log entry instead,
// logged by `log` a minute after the leaf was issued.
function logged(signed: Record<string, unknown>, log: TestLog, issuedAt: Date): Json {
  const sig = String(get(signed, 'dsseEnvelope', 'signatures', 0, 'sig'));
  const payload = Buffer.from(String(get(signed, 'dsseEnvelope', 'payload')), 'base64');
  const body = Buffer.from(
    JSON.stringify({
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: {
        payloadHash: { algorithm: 'sha256', value: sha256(payload) },
        signatures: [{ signature: sig, verifier: 'x' }],
      },
    }),
  );
  const draft = {
    ...signed,
    verificationMaterial: {
      certificate: get(signed, 'verificationMaterial', 'certificate'),
      tlogEntries: [
        {
          logIndex: '7',
          logId: { keyId: '' },
          kindVersion: { kind: 'dsse', version: '0.0.1' },
          integratedTime: String(Math.floor(issuedAt.getTime() / 1000) + 60),
          canonicalizedBody: body.toString('base64'),
        },
      ],
    },
  };
  return relog(draft, log, { body });
}

// --- Trusted roots around the signing time ----------------------------------------------------

const iso = (ms: number): string => new Date(ms).toISOString();

/** Roots that trust the bundle's log, CA and CT log only from or until the signing time (and a second either side). */
function rootVariants(root: Json, signedAtMs: number, sctMs: number | undefined): [string, Json][] {
  const out: [string, Json][] = [];
  const around = (name: string, list: string, field: (item: Json) => Json, at: number): void => {
    for (const [label, range] of [
      ['from then', { start: iso(at) }],
      ['from a second later', { start: iso(at + 1000) }],
      ['until then', { start: iso(at - 86_400_000), end: iso(at) }],
      ['until a second before', { start: iso(at - 86_400_000), end: iso(at - 1000) }],
    ] as const) {
      const copy = clone(root);
      const items = copy[list];
      if (!Array.isArray(items)) continue;
      for (const item of items) if (isObj(item)) field(item)['validFor'] = range;
      out.push([`${name} ${label}`, copy]);
    }
  };
  around('logs', 'tlogs', (log) => log['publicKey'] as Json, signedAtMs);
  around('CAs', 'certificateAuthorities', (ca) => ca, signedAtMs);
  if (sctMs !== undefined) around('CT logs', 'ctlogs', (log) => log['publicKey'] as Json, sctMs);
  out.push(['no CT logs', { ...root, ctlogs: [] }]);
  out.push(['no logs', { ...root, tlogs: [] }]);
  out.push(['no CAs', { ...root, certificateAuthorities: [] }]);
  return out;
}

// The SCT's time, from the leaf's SCT extension (1.3.6.1.4.1.11129.2.4.2): enough to aim CT log windows at it.
function sctTime(bundle: unknown): number | undefined {
  const raw =
    get(bundle, 'verificationMaterial', 'certificate', 'rawBytes') ??
    get(bundle, 'verificationMaterial', 'x509CertificateChain', 'certificates', 0, 'rawBytes');
  if (typeof raw !== 'string') return undefined;
  const der = Buffer.from(raw, 'base64');
  const oid = Buffer.from('060a2b06010401d679020402', 'hex');
  const at = der.indexOf(oid);
  if (at < 0) return undefined;
  // OID, OCTET STRING (wrapping an OCTET STRING), list length (2), SCT length (2), version (1), log ID (32), then the time (8).
  let i = at + oid.length;
  const skipHeader = (): void => {
    i++; // tag
    const first = der[i] ?? 0;
    i += first & 0x80 ? 1 + (first & 0x7f) : 1;
  };
  skipHeader();
  skipHeader();
  i += 2 + 2 + 1 + 32;
  return Number(der.readBigUInt64BE(i));
}

// --- The tests --------------------------------------------------------------------------------

void describe('fast path against the full path', () => {
  void it('agrees on every conformance case, with the artifact and with its digest', async () => {
    const cases = readdirSync(CORPUS, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    assert.equal(cases.length, 70);
    let fast = 0;
    for (const name of cases) {
      const dir = path.join(CORPUS, name);
      let trust: Trust;
      try {
        trust = existsSync(path.join(dir, 'trusted_root.json')) ? await caseTrust(name) : await publicGoodTrust();
      } catch {
        continue; // an unusable trusted root: no bundle is verified at all
      }
      const text = readFileSync(path.join(dir, 'bundle.sigstore.json'), 'utf8');
      const artifact = readFileSync(
        existsSync(path.join(dir, 'artifact')) ? path.join(dir, 'artifact') : path.join(CORPUS, 'a.txt'),
      );
      const key = existsSync(path.join(dir, 'key.pub')) ? readFileSync(path.join(dir, 'key.pub'), 'utf8') : undefined;
      for (const given of [{ data: artifact }, { digest: { algorithm: 'sha256' as const, hex: sha256(artifact) } }]) {
        const options: CryptoOptions = { artifact: given, ...(key === undefined ? {} : { key }) };
        const outcome = compare(`conformance ${name}`, text, trust, options);
        if (outcome === 'fast') fast++;
        if (name.endsWith('_fail')) assert.notEqual(outcome, 'fast', `${name} must fail`);
        // Parsed JSON too, as verify mode hands it over; and without the artifact.
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          continue;
        }
        compare(`conformance ${name} (parsed)`, parsed, trust, options);
        compare(`conformance ${name} (no artifact)`, parsed, trust, key === undefined ? {} : { key });
      }
    }
    // The one passing DSSE case in the common shape (the others rest on timestamp authorities or
    // Rekor v2) passes by the fast path, with the artifact and with its digest.
    assert.ok(fast >= 2, `only ${fast} conformance runs took the fast path`);
  });

  void it('passes the real-world bundles and ours by the fast path, as the full path does', () => {
    const bases = [...realWorld, ...own];
    for (const base of bases) {
      const outcome = compare(base.name, base.bundle, base.trust, base.options);
      // Everything but a bundle whose time rests on a timestamp authority is the common shape.
      if (base.name === 'ours:tsa' || base.name === 'ours:rekor+tsa') assert.equal(outcome, 'full-only', base.name);
      else assert.equal(outcome, 'fast', base.name);
      compare(`${base.name} (text)`, JSON.stringify(base.bundle), base.trust, base.options);
      compare(`${base.name} (bytes)`, Buffer.from(JSON.stringify(base.bundle)), base.trust, base.options);
      if (base.artifactSha256 !== undefined) {
        assert.equal(
          compare(`${base.name} (its artifact)`, base.bundle, base.trust, {
            artifact: { digest: { algorithm: 'sha256', hex: base.artifactSha256 } },
          }),
          outcome,
        );
        assert.equal(
          compare(`${base.name} (another artifact)`, base.bundle, base.trust, {
            artifact: { digest: { algorithm: 'sha256', hex: sha256('other') } },
          }),
          'both-fail',
        );
      }
      assert.equal(compare(`${base.name} (a key given)`, base.bundle, base.trust, { key: 'not a key' }), 'both-fail');
    }
  });

  void it("agrees on cosign's .att layers made into bundles: dsse entries by the fast path, intoto 0.0.1 by the full path alone", async () => {
    const trust = await publicGoodTrust();
    let count = 0;
    for (const layer of cosignContainerLayers()) {
      const converted = cosignLayerBundle(layer.envelope, layer.annotations);
      assert.ok(converted.bundle, converted.problem);
      const options: CryptoOptions = {
        loggedEnvelope: converted.loggedEnvelope,
        artifact: { digest: { algorithm: 'sha256', hex: layer.imageDigest.slice(7) } },
      };
      const intoto = layer.release !== 'v2.1.0';
      assert.equal(
        compare(`cosign ${layer.release}`, converted.bundle, trust, options),
        intoto ? 'full-only' : 'fast',
        layer.release,
      );
      for (const m of mutants(SEEDS[0] ?? 1, [
        {
          name: layer.release,
          bundle: converted.bundle,
          artifactSha256: options.artifact && 'digest' in options.artifact ? options.artifact.digest.hex : undefined,
        },
      ])) {
        compare(`cosign ${m.name}`, m.bundle, trust, options);
        count++;
      }
    }
    assert.ok(count >= 60, `only ${count} mutants`);
  });

  void it('agrees on the tamper corpus', () => {
    const bases = [...realWorld, ...own];
    const byName = new Map(bases.map((b) => [b.name, b]));
    let count = 0;
    for (const seed of SEEDS) {
      for (const m of mutants(
        seed,
        bases.map((b) => ({ name: b.name, bundle: b.bundle, artifactSha256: b.artifactSha256 })),
      )) {
        const base = byName.get(m.base);
        assert.ok(base);
        compare(
          m.name,
          m.bundle,
          base.trust,
          m.artifactSha256 === undefined
            ? {}
            : { artifact: { digest: { algorithm: 'sha256', hex: m.artifactSha256 } } },
        );
        count++;
      }
    }
    assert.ok(count >= 500, `only ${count} mutants`);
  });

  void it('agrees on every field of the common bundle removed, nulled, retyped or respelled', () => {
    let count = 0;
    for (const base of fastBases()) {
      for (const at of paths(base.bundle)) {
        for (const [edit, apply] of Object.entries(FIELD_EDITS)) {
          const mutant = edited(base.bundle, at, apply);
          if (mutant === undefined) continue;
          const outcome = compare(`${base.name} ${at.join('.')} ${edit}`, mutant, base.trust, base.options);
          if (outcome === 'full-only') fullOnlyShapes.set(`${edit}`, (fullOnlyShapes.get(edit) ?? 0) + 1);
          count++;
        }
      }
      for (const [edit, mutant] of bundleEdits(base.bundle)) {
        compare(`${base.name} ${edit}`, mutant, base.trust, base.options);
        count++;
      }
    }
    assert.ok(count >= 1000, `only ${count} mutants`);
  });

  void it('agrees on trusted roots whose windows start or end at the signing time', () => {
    for (const base of fastBases()) {
      if (!base.root) continue;
      const signedAt = Number(get(base.bundle, 'verificationMaterial', 'tlogEntries', 0, 'integratedTime')) * 1000;
      const seen = new Set<string>();
      for (const [label, root] of rootVariants(base.root, signedAt, sctTime(base.bundle))) {
        let trust: Trust;
        try {
          trust = trustOf(root);
        } catch {
          continue;
        }
        seen.add(compare(`${base.name} with ${label}`, base.bundle, trust, base.options));
      }
      assert.deepEqual([...seen].sort(), ['both-fail', 'fast'], base.name);
      // Two roots, either order: the bundle's root and one that verifies nothing of it.
      const other = rootVariants(base.root, signedAt, undefined).find(([label]) => label === 'no CAs')?.[1];
      assert.ok(other);
      assert.equal(
        compare(`${base.name} other root first`, base.bundle, trustOf(other, base.root), base.options),
        'fast',
      );
      assert.equal(
        compare(`${base.name} other root last`, base.bundle, trustOf(base.root, other), base.options),
        'fast',
      );
    }
  });

  void describe('log entries logged again by a log the test holds', () => {
    let bases: { base: Base; log: TestLog; trust: Trust; root: Json }[] = [];
    const again = (
      b: (typeof bases)[number],
      label: string,
      change: Relog,
      trust = b.trust,
    ): ReturnType<typeof compare> =>
      compare(`${b.base.name} relogged: ${label}`, relog(b.base.bundle, b.log, change), trust, b.base.options);

    before(() => {
      bases = fastBases()
        .filter((b) => b.root !== undefined)
        .map((base) => {
          const root = base.root ?? {};
          const baseUrl = get(root, 'tlogs', 0, 'baseUrl');
          const log = testLog(typeof baseUrl === 'string' ? baseUrl : 'https://rekor.example');
          const withLog = rootWithLog(root, log);
          return { base, log, root: withLog, trust: trustOf(withLog) };
        });
    });

    void it('passes a relogged bundle by both paths, in trees of every small size and at every index', () => {
      for (const b of bases) {
        assert.equal(again(b, 'as it was', {}), 'fast');
        for (const size of [2, 3, 4, 5, 6, 7, 8, 9, 13, 16, 17, 31, 32, 33]) {
          const indexes =
            size <= 9 ? Array.from({ length: size }, (_, i) => i) : [0, 1, Math.floor(size / 2), size - 2, size - 1];
          for (const index of indexes)
            assert.equal(again(b, `tree ${size} at ${index}`, { treeSize: size, index }), 'fast');
        }
      }
    });

    void it('agrees on inclusion proofs changed after the checkpoint was signed', () => {
      for (const b of bases) {
        for (const [size, index] of [
          [7, 3],
          [16, 15],
          [33, 32],
          [5, 0],
        ] as const) {
          const proofEdits: [string, (p: Json) => void][] = [
            ['index + 1', (p) => (p['logIndex'] = String(index + 1))],
            ['index - 1', (p) => (p['logIndex'] = String(index - 1))],
            ['index as a number', (p) => (p['logIndex'] = index)],
            ['index zero-padded', (p) => (p['logIndex'] = `0${index}`)],
            ['index absent', (p) => delete p['logIndex']],
            ['last hash dropped', (p) => (p['hashes'] as string[]).pop()],
            ['a hash added', (p) => (p['hashes'] as string[]).push(Buffer.alloc(32).toString('base64'))],
            ['hashes swapped', (p) => (p['hashes'] as string[]).reverse()],
            [
              'first hash flipped',
              (p) => ((p['hashes'] as string[])[0] = flipMiddle((p['hashes'] as string[])[0] ?? '')),
            ],
            ['hashes absent', (p) => delete p['hashes']],
            ['a short hash', (p) => ((p['hashes'] as string[])[0] = Buffer.alloc(31).toString('base64'))],
            ['plain size + 1', (p) => (p['treeSize'] = String(size + 1))],
            ['plain size as a number', (p) => (p['treeSize'] = size)],
            ['plain size absent', (p) => delete p['treeSize']],
            ['plain root flipped', (p) => (p['rootHash'] = flipMiddle(p['rootHash'] as string))],
            [
              'plain root url-safe',
              (p) => (p['rootHash'] = (p['rootHash'] as string).replaceAll('+', '-').replaceAll('/', '_')),
            ],
            ['plain root absent', (p) => delete p['rootHash']],
            ['checkpoint absent', (p) => delete p['checkpoint']],
            ['checkpoint empty', (p) => (p['checkpoint'] = { envelope: '' })],
          ];
          for (const [label, edit] of proofEdits)
            again(b, `tree ${size} at ${index}, ${label}`, { treeSize: size, index, proof: edit });
        }
      }
    });

    void it('agrees on checkpoint notes of every spelling', () => {
      for (const b of bases) {
        const name = b.log.name;
        const notes: [string, Relog][] = [
          ['no extra lines', { extraLines: [] }],
          ['two extra lines', { extraLines: ['a', 'b c'] }],
          ['size zero-padded', { note: (n) => n.replace(/\n1\n/, '\n01\n') }],
          ['size with a space', { note: (n) => n.replace(/\n1\n/, '\n 1\n') }],
          ['size in hex', { note: (n) => n.replace(/\n1\n/, '\n0x1\n') }],
          [
            'root url-safe and unpadded',
            {
              note: (n) =>
                n
                  .split('\n')
                  .map((l, i) => (i === 2 ? l.replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '') : l))
                  .join('\n'),
            },
          ],
          ['trailing spaces', { note: (n) => n.replace(/\n$/, '  \n') }],
          ['no origin', { note: (n) => n.replace(/^[^\n]*/, '') }],
          ['only origin and size', { note: (n) => n.split('\n').slice(0, 2).join('\n') + '\n' }],
          [
            'a bogus signature first',
            { signatures: (line) => `\u2014 ${name} ${Buffer.alloc(70, 1).toString('base64')}\n${line}` },
          ],
          [
            'a bogus signature last',
            { signatures: (line) => `${line}\u2014 ${name} ${Buffer.alloc(70, 1).toString('base64')}\n` },
          ],
          [
            'a witness line first',
            { signatures: (line) => `\u2014 witness.example ${Buffer.alloc(70, 2).toString('base64')}\n${line}` },
          ],
          ['the signature twice', { signatures: (line) => line + line }],
          ['a short signature too', { signatures: (line) => `${line}\u2014 ${name} AAAA\n` }],
          ['another name', { signatures: (line) => line.replace(name, 'rekor.example.org') }],
          ['a name the URL merely contains', { signatures: (line) => line.replace(name, name.slice(0, 3)) }],
          ['no newline after the signature', { signatures: (line) => line.trimEnd() }],
          ['no signature', { signatures: () => '' }],
          ['text before the signature', { signatures: (line) => `hello\n${line}` }],
          [
            'the key hint zeroed',
            {
              signatures: (line) =>
                line.replace(
                  / (\S+)\n$/,
                  (_m, sig: string) =>
                    ` ${Buffer.concat([Buffer.alloc(4), Buffer.from(sig, 'base64').subarray(4)]).toString('base64')}\n`,
                ),
            },
          ],
          [
            'the signature in url-safe base64',
            { signatures: (line) => line.replaceAll('+', '-').replaceAll('/', '_') },
          ],
          ['no blank line', { note: (n) => n.replace(/\n$/, '') }],
        ];
        for (const [label, change] of notes) again(b, `note: ${label}`, change);
      }
    });

    void it('agrees on integrated times and log indexes around the certificate and trust windows', () => {
      for (const b of bases) {
        const raw =
          get(b.base.bundle, 'verificationMaterial', 'certificate', 'rawBytes') ??
          get(b.base.bundle, 'verificationMaterial', 'x509CertificateChain', 'certificates', 0, 'rawBytes');
        const leaf = new NodeX509(Buffer.from(String(raw), 'base64'));
        const notBefore = Date.parse(leaf.validFrom) / 1000;
        const notAfter = Date.parse(leaf.validTo) / 1000;
        const seen = new Set<string>();
        for (const [label, time] of [
          ['notBefore', notBefore],
          ['a second before notBefore', notBefore - 1],
          ['notAfter', notAfter],
          ['a second after notAfter', notAfter + 1],
        ] as const) {
          seen.add(again(b, `time at ${label}`, { integratedTime: String(time) }));
          again(b, `time at ${label} as a number`, { integratedTime: time });
          // The log trusted from that time on, or until it.
          seen.add(
            again(
              b,
              `time at ${label}, log from then`,
              { integratedTime: String(time) },
              trustOf(rootWithLog(b.root, b.log, { start: iso(time * 1000) })),
            ),
          );
          again(
            b,
            `time at ${label}, log until a second before`,
            { integratedTime: String(time) },
            trustOf(rootWithLog(b.root, b.log, { start: iso(time * 1000 - 86_400_000), end: iso(time * 1000 - 1000) })),
          );
        }
        assert.deepEqual([...seen].sort(), ['both-fail', 'fast'], b.base.name);
        for (const time of ['0', '00', `0${notBefore + 1}`, '-5', '1e3'])
          again(b, `time ${time}`, { integratedTime: time });
        for (const index of ['0', '007', 7, '9007199254740991', '9007199254740993', '-1'])
          again(b, `log index ${String(index)}`, { logIndex: index });
      }
    });

    void it('agrees on log entry bodies that say the same or something else', () => {
      for (const b of bases) {
        const entry = get(b.base.bundle, 'verificationMaterial', 'tlogEntries', 0);
        const kind = String(get(entry, 'kindVersion', 'kind'));
        const version = String(get(entry, 'kindVersion', 'version'));
        const body = JSON.parse(
          Buffer.from(String(get(entry, 'canonicalizedBody')), 'base64').toString('utf8'),
        ) as Json;
        const sig = String(get(b.base.bundle, 'dsseEnvelope', 'signatures', 0, 'sig'));
        const payloadHex = sha256(Buffer.from(String(get(b.base.bundle, 'dsseEnvelope', 'payload')), 'base64'));
        const dsse = (spec: Json): Buffer => Buffer.from(JSON.stringify({ apiVersion: '0.0.1', kind: 'dsse', spec }));
        const intoto = (spec: Json): Buffer =>
          Buffer.from(JSON.stringify({ apiVersion: '0.0.2', kind: 'intoto', spec }));
        const dsseSpec = (signature: unknown, value: unknown): Json => ({
          payloadHash: { algorithm: 'sha256', value },
          signatures: [{ signature, verifier: 'x' }],
        });
        const intotoSpec = (s: unknown, value: unknown): Json => ({
          content: {
            envelope: { payloadType: 'application/vnd.in-toto+json', signatures: [{ sig: s, publicKey: 'x' }] },
            payloadHash: { algorithm: 'sha256', value },
          },
        });
        const b64 = (text: string): string => Buffer.from(text).toString('base64');
        const bodies: [string, Relog][] = [
          ['as it was, re-encoded', { body: Buffer.from(JSON.stringify(body)) }],
          ['dsse: minimal', { kind: 'dsse', version: '0.0.1', body: dsse(dsseSpec(sig, payloadHex)) }],
          [
            'dsse: hash in upper case',
            { kind: 'dsse', version: '0.0.1', body: dsse(dsseSpec(sig, payloadHex.toUpperCase())) },
          ],
          [
            'dsse: hash with junk after',
            { kind: 'dsse', version: '0.0.1', body: dsse(dsseSpec(sig, `${payloadHex}zz`)) },
          ],
          [
            'dsse: hash truncated',
            { kind: 'dsse', version: '0.0.1', body: dsse(dsseSpec(sig, payloadHex.slice(0, 62))) },
          ],
          ['dsse: hash of something else', { kind: 'dsse', version: '0.0.1', body: dsse(dsseSpec(sig, sha256('x'))) }],
          ['dsse: hash as a number', { kind: 'dsse', version: '0.0.1', body: dsse(dsseSpec(sig, 5)) }],
          ['dsse: hash absent', { kind: 'dsse', version: '0.0.1', body: dsse({ signatures: [{ signature: sig }] }) }],
          [
            'dsse: signature url-safe',
            {
              kind: 'dsse',
              version: '0.0.1',
              body: dsse(dsseSpec(sig.replaceAll('+', '-').replaceAll('/', '_'), payloadHex)),
            },
          ],
          [
            'dsse: signature with junk',
            { kind: 'dsse', version: '0.0.1', body: dsse(dsseSpec(`!${sig}`, payloadHex)) },
          ],
          [
            'dsse: another signature',
            { kind: 'dsse', version: '0.0.1', body: dsse(dsseSpec(flipMiddle(sig), payloadHex)) },
          ],
          [
            'dsse: signature as bytes',
            { kind: 'dsse', version: '0.0.1', body: dsse(dsseSpec([...Buffer.from(sig, 'base64')], payloadHex)) },
          ],
          [
            'dsse: two signatures',
            {
              kind: 'dsse',
              version: '0.0.1',
              body: dsse({ payloadHash: { value: payloadHex }, signatures: [{ signature: sig }, { signature: sig }] }),
            },
          ],
          [
            'dsse: signatures as an object',
            {
              kind: 'dsse',
              version: '0.0.1',
              body: dsse({ payloadHash: { value: payloadHex }, signatures: { length: 1, 0: { signature: sig } } }),
            },
          ],
          [
            'dsse: extra fields',
            {
              kind: 'dsse',
              version: '0.0.1',
              body: dsse({ ...dsseSpec(sig, payloadHex), envelopeHash: { value: '00' }, more: [1] }),
            },
          ],
          [
            'dsse: body says 0.0.2',
            {
              kind: 'dsse',
              version: '0.0.1',
              body: Buffer.from(JSON.stringify({ apiVersion: '0.0.2', kind: 'dsse', spec: dsseSpec(sig, payloadHex) })),
            },
          ],
          [
            'dsse: entry and body say 0.0.2',
            {
              kind: 'dsse',
              version: '0.0.2',
              body: Buffer.from(JSON.stringify({ apiVersion: '0.0.2', kind: 'dsse', spec: dsseSpec(sig, payloadHex) })),
            },
          ],
          ['intoto: minimal', { kind: 'intoto', version: '0.0.2', body: intoto(intotoSpec(b64(sig), payloadHex)) }],
          [
            'intoto: signature once encoded',
            { kind: 'intoto', version: '0.0.2', body: intoto(intotoSpec(sig, payloadHex)) },
          ],
          [
            'intoto: another signature',
            { kind: 'intoto', version: '0.0.2', body: intoto(intotoSpec(b64(flipMiddle(sig)), payloadHex)) },
          ],
          [
            'intoto: hash of something else',
            { kind: 'intoto', version: '0.0.2', body: intoto(intotoSpec(b64(sig), sha256('x'))) },
          ],
          [
            'intoto: entry says 0.0.1',
            {
              kind: 'intoto',
              version: '0.0.1',
              body: Buffer.from(
                JSON.stringify({ apiVersion: '0.0.1', kind: 'intoto', spec: intotoSpec(b64(sig), payloadHex) }),
              ),
            },
          ],
          [
            'intoto body, dsse entry',
            { kind: 'dsse', version: '0.0.1', body: intoto(intotoSpec(b64(sig), payloadHex)) },
          ],
          [
            'hashedrekord',
            {
              kind: 'hashedrekord',
              version: '0.0.1',
              body: Buffer.from(
                JSON.stringify({
                  apiVersion: '0.0.1',
                  kind: 'hashedrekord',
                  spec: { signature: { content: sig }, data: { hash: { algorithm: 'sha256', value: payloadHex } } },
                }),
              ),
            },
          ],
          ['not JSON', { body: Buffer.from('{"kind":') }],
          ['null', { body: Buffer.from('null') }],
          ['a list', { body: Buffer.from(`[${JSON.stringify(body)}]`) }],
          ['invalid UTF-8', { body: Buffer.concat([Buffer.from(JSON.stringify(body)), Buffer.from([0xff])]) }],
        ];
        const outcomes = bodies.map(
          ([label, change]) => [label, again(b, `body: ${label} (was ${kind} ${version})`, change)] as const,
        );
        const passed = outcomes.filter(([, o]) => o === 'fast').map(([l]) => l);
        for (const expected of [
          'as it was, re-encoded',
          'dsse: minimal',
          'dsse: hash in upper case',
          'dsse: signature url-safe',
          'intoto: minimal',
        ])
          assert.ok(passed.includes(expected), `${b.base.name}: ${expected}`);
      }
    });
  });

  void it('agrees on leaves with any Fulcio extensions (a mock CA), logged by a test log', async () => {
    const FULCIO = '1.3.6.1.4.1.57264.1';
    const v2 = (n: number, value: string): Extension => ({ oid: `${FULCIO}.${n}`, value });
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'a', digest: { sha256: sha256('a') } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {},
    };
    const variants: [string, SignOptions, 'fast' | 'both-fail'][] = [
      ['no Fulcio extensions', {}, 'fast'],
      ['every v2 extension', { extensions: Array.from({ length: 15 }, (_, i) => v2(8 + i, `value ${8 + i}`)) }, 'fast'],
      [
        'legacy extensions',
        { extensions: [1, 2, 3, 6].map((n) => ({ oid: `${FULCIO}.${n}`, value: `legacy ${n}`, legacy: true })) },
        'fast',
      ],
      [
        'legacy and v2 issuer',
        {
          extensions: [
            { oid: `${FULCIO}.1`, value: 'https://legacy.example', legacy: true },
            v2(8, 'https://v2.example'),
          ],
        },
        'fast',
      ],
      [
        'an extension twice',
        { extensions: [v2(12, 'https://github.com/first/one'), v2(12, 'https://github.com/second/one')] },
        'fast',
      ],
      ['long and non-ASCII values', { extensions: [v2(12, 'x'.repeat(3000)), v2(14, 'refs/heads/ünïcödé-✓')] }, 'fast'],
      [
        'a v2 extension that is no UTF8String',
        { extensions: [{ oid: `${FULCIO}.12`, value: 'https://github.com/o/r', legacy: true }] },
        'both-fail',
      ],
      ['an empty SAN', { san: '' }, 'both-fail'],
      ['an email-like SAN', { san: 'mailto:someone@example.com' }, 'fast'],
    ];
    for (const ctlog of [true, false]) {
      const mock = await mockInstance({ ctlog });
      const log = testLog('https://rekor.mock');
      const validFor = { start: iso(Date.now() - 3_600_000) };
      const root: Json = {
        ...(clone(mock.trustedRoot) as unknown as Json),
        tlogs: [
          {
            baseUrl: 'https://rekor.mock',
            hashAlgorithm: 'SHA2_256',
            publicKey: { rawBytes: log.spki.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor },
            logId: { keyId: log.logID.toString('base64') },
          },
        ],
      };
      for (const [label, options, expected] of variants) {
        const bundle = logged(await mock.signStatement(statement, options), log, mock.issuedAt);
        // Without an SCT the root's CT log fails every bundle; without CT logs in the root too, none is needed.
        assert.equal(
          compare(`mock leaf: ${label}${ctlog ? '' : ', no SCT'}`, bundle, trustOf(root)),
          ctlog ? expected : 'both-fail',
          label,
        );
        if (!ctlog)
          assert.equal(
            compare(`mock leaf: ${label}, no SCT, no CT logs`, bundle, trustOf({ ...root, ctlogs: [] })),
            expected,
            label,
          );
        // The leaf's bytes flipped across its length: every flip is caught, by both.
        if (label === 'every v2 extension' && ctlog) {
          const der = Buffer.from(String(get(bundle, 'verificationMaterial', 'certificate', 'rawBytes')), 'base64');
          for (let at = 0; at < der.length; at += Math.ceil(der.length / 97)) {
            const flipped = Buffer.from(der);
            flipped[at] = (flipped[at] ?? 0) ^ 0x04;
            const mutant = clone(bundle);
            (mutant['verificationMaterial'] as Json)['certificate'] = { rawBytes: flipped.toString('base64') };
            const outcome = compare(`mock leaf byte ${at} flipped`, mutant, trustOf(root));
            // Byte 0 is the certificate's outer tag, which neither parser checks (0x30 → 0x34 still
            // verifies, by both paths alike); every other flip must fail.
            if (at > 0) assert.equal(outcome, 'both-fail', `leaf byte ${at} flipped`);
          }
        }
      }
    }
  });

  void it('gives verify mode the same results through the pool as in this thread', async () => {
    const bases = [...realWorld, ...own];
    const jobs = bases.flatMap((b) => [b, b, b].map((x) => ({ bundle: x.bundle, options: x.options })));
    // One trust for all: the public-good root and ours.
    const trust = trustOf(publicGoodRoot(), ownRoot);
    const inThread = await runCryptoJobs(jobs, trust, { workers: 0 });
    const pooled = await runCryptoJobs(jobs, trust, { workers: 1 });
    assert.deepStrictEqual(pooled, inThread);
    assert.ok(inThread.filter((r) => r.verified).length >= bases.length * 3 - 9);
  });
});
