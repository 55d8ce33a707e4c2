// Helper views: short, regular shapes computed from the common predicates, so that expressions
// stay short and read the same whatever tool wrote the document. A view is chosen by predicate
// type and read defensively (the predicate is untrusted JSON): what is not in the expected shape
// is left out, never guessed. Documented in docs/cel.md. Pure.
//
//   vulns (in-toto vulns v0.2/v0.1, cosign vuln v1): results: [{id, severity}], severity the
//     highest of the result's ratings as CRITICAL, HIGH, MEDIUM, LOW, NONE or UNKNOWN
//   VEX (OpenVEX): notAffected: [id], the vulnerabilities whose status is not_affected (names and aliases)
//   SBOM (SPDX 2.x, SPDX 3, CycloneDX): packages: [{name, version, licenses}], licenses: [id or expression]

import { isObject } from '../../../common/json.ts';
import {
  COSIGN_VULN_V1,
  CYCLONEDX_BOM,
  OPENVEX,
  OPENVEX_V02,
  SPDX_2_2,
  SPDX_2_3,
  SPDX_3,
  VULNS_V01,
  VULNS_V02,
} from '../../../stages/presets.ts';

export interface VulnView {
  id: string;
  severity: string;
}
export interface PackageView {
  name: string;
  version: string;
  licenses: string[];
}
export type HelperView =
  | { results: VulnView[] }
  | { notAffected: string[] }
  | { packages: PackageView[]; licenses: string[] }
  | Record<string, never>;

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const field = (o: unknown, key: string): unknown => (isObject(o) && Object.hasOwn(o, key) ? o[key] : undefined);

export function helperView(predicateType: string, predicate: unknown): HelperView {
  if ([VULNS_V02, VULNS_V01, COSIGN_VULN_V1].includes(predicateType)) return { results: vulnResults(predicate) };
  if (predicateType === OPENVEX_V02 || predicateType.startsWith(`${OPENVEX}/`))
    return { notAffected: notAffected(predicate) };
  if ([SPDX_2_3, SPDX_2_2].includes(predicateType)) return sbom(spdx2Packages(predicate));
  if (predicateType === SPDX_3) return sbom(spdx3Packages(predicate));
  if (predicateType === CYCLONEDX_BOM) return sbom(cycloneDxPackages(predicate));
  return {};
}

// ---- vulns ----

const RANK = ['UNKNOWN', 'NONE', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const WORDS: Record<string, string> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  moderate: 'MEDIUM',
  low: 'LOW',
  negligible: 'LOW',
  none: 'NONE',
  error: 'HIGH', // SARIF levels, when a scanner gives no better rating
  warning: 'MEDIUM',
  note: 'LOW',
};

/** A rating as a word: a severity word, or a CVSS v3 score by its qualitative scale. */
function rating(score: unknown): string {
  const s = typeof score === 'number' ? String(score) : text(score);
  if (s === undefined) return 'UNKNOWN';
  const word = WORDS[s.toLowerCase()];
  if (word !== undefined) return word;
  const n = /^\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
  if (Number.isNaN(n) || n > 10) return 'UNKNOWN';
  return n >= 9 ? 'CRITICAL' : n >= 7 ? 'HIGH' : n >= 4 ? 'MEDIUM' : n > 0 ? 'LOW' : 'NONE';
}

function vulnResults(predicate: unknown): VulnView[] {
  const out: VulnView[] = [];
  for (const r of list(field(field(predicate, 'scanner'), 'result'))) {
    const id = text(field(r, 'id'));
    if (id === undefined) continue;
    const severity = field(r, 'severity');
    const ratings = Array.isArray(severity) ? severity.map((s) => rating(field(s, 'score'))) : [rating(severity)];
    const highest = ratings.reduce((a, b) => (RANK.indexOf(b) > RANK.indexOf(a) ? b : a), 'UNKNOWN');
    out.push({ id, severity: highest });
  }
  return out;
}

// ---- VEX ----

function notAffected(predicate: unknown): string[] {
  const ids = new Set<string>();
  for (const s of list(field(predicate, 'statements'))) {
    if (field(s, 'status') !== 'not_affected') continue;
    const v = field(s, 'vulnerability');
    for (const id of [text(v), text(field(v, 'name')), text(field(v, '@id')), ...list(field(v, 'aliases')).map(text)])
      if (id !== undefined) ids.add(id);
  }
  return [...ids];
}

// ---- SBOM ----

function sbom(packages: PackageView[]): { packages: PackageView[]; licenses: string[] } {
  return { packages, licenses: [...new Set(packages.flatMap((p) => p.licenses))] };
}

const realLicense = (l: string | undefined): l is string => l !== undefined && l !== 'NOASSERTION' && l !== 'NONE';

function spdx2Packages(predicate: unknown): PackageView[] {
  return list(field(predicate, 'packages')).flatMap((p) => {
    const name = text(field(p, 'name'));
    if (name === undefined) return [];
    const licenses = [text(field(p, 'licenseConcluded')), text(field(p, 'licenseDeclared'))].filter(realLicense);
    return [{ name, version: text(field(p, 'versionInfo')) ?? '', licenses: [...new Set(licenses)] }];
  });
}

function spdx3Packages(predicate: unknown): PackageView[] {
  const elements = list(field(predicate, '@graph') ?? field(predicate, 'element'));
  const byId = new Map<string, unknown>();
  for (const e of elements) {
    const id = text(field(e, 'spdxId')) ?? text(field(e, '@id'));
    if (id !== undefined) byId.set(id, e);
  }
  const licensesOf = new Map<string, string[]>();
  for (const r of elements) {
    const type = field(r, 'relationshipType');
    if (type !== 'hasConcludedLicense' && type !== 'hasDeclaredLicense') continue;
    const from = text(field(r, 'from'));
    if (from === undefined) continue;
    for (const to of list(field(r, 'to'))) {
      const target = typeof to === 'string' ? byId.get(to) : to;
      const expr = text(field(target, 'simplelicensing_licenseExpression')) ?? text(field(target, 'name'));
      if (realLicense(expr)) licensesOf.set(from, [...(licensesOf.get(from) ?? []), expr]);
    }
  }
  return elements.flatMap((e) => {
    if (field(e, 'type') !== 'software_Package') return [];
    const name = text(field(e, 'name'));
    if (name === undefined) return [];
    const id = text(field(e, 'spdxId')) ?? text(field(e, '@id')) ?? '';
    return [
      {
        name,
        version: text(field(e, 'software_packageVersion')) ?? '',
        licenses: [...new Set(licensesOf.get(id) ?? [])],
      },
    ];
  });
}

function cycloneDxPackages(predicate: unknown): PackageView[] {
  const out: PackageView[] = [];
  // Components nest; the walk is iterative and visits each at most once, so depth costs no stack.
  const pending = [...list(field(predicate, 'components'))];
  for (let i = 0; i < pending.length; i++) {
    const c = pending[i];
    pending.push(...list(field(c, 'components')));
    const name = text(field(c, 'name'));
    if (name === undefined) continue;
    const licenses = list(field(c, 'licenses')).flatMap((l) => {
      const id =
        text(field(field(l, 'license'), 'id')) ??
        text(field(field(l, 'license'), 'name')) ??
        text(field(l, 'expression'));
      return id === undefined ? [] : [id];
    });
    out.push({ name, version: text(field(c, 'version')) ?? '', licenses: [...new Set(licenses)] });
  }
  return out;
}
