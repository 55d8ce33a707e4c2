// The vulns stage: every scanner writes its own report format, but a verifier (or a policy engine)
// should read one. So reports are converted to the in-toto vulns v0.2 predicate: which scanner,
// which vulnerability database, one result per vulnerability id with its severities, and when the
// scan ran. The id list is what policies decide on, so it is deduplicated (a CVE found in three
// packages is one result) in the order the scanner reported it; the full report stays the
// scanner's own artifact. Accepted inputs: a predicate already in that shape, SARIF 2.1.0 (what
// most scanners can write), and Grype's and Trivy's native JSON. Converting, not embedding, also
// keeps the attestation small: scanner reports often run to megabytes of descriptions.

import { VULNS_V02 } from '../../stages/presets.ts';
import { describe, invalid, isTimestamp, own, ownObject, ownString, utc } from './checks.ts';
import { isObject } from '../../common/json.ts';
import type { StagePredicate } from './stage.types.ts';

interface Severity {
  method: string;
  score: string;
}

interface VulnResult {
  id: string;
  severity: Severity[];
}

interface Scanner {
  uri: string;
  version?: string;
  db?: { uri?: string; version?: string; lastUpdate: string };
}

const ACCEPTED =
  'an in-toto vulns predicate, SARIF 2.1.0, Grype JSON (`grype -o json`) or Trivy JSON (`trivy -f json`)';
const HINT =
  'Give predicate-path the scanner report as SARIF (e.g. `trivy -f sarif`, `grype -o sarif`) or as Grype/Trivy JSON';

export function vulnsPredicate(document: unknown, origin: string, now: Date): StagePredicate {
  if (!isObject(document))
    throw invalid(origin, `expected a vulnerability report (${ACCEPTED}), found ${describe(document)}`, HINT);
  if (Object.hasOwn(document, 'scanner'))
    return { predicateType: VULNS_V02, predicate: checkInToto(document, origin), warnings: [] };
  if (Object.hasOwn(document, 'runs')) return fromSarif(document, origin, now);
  if (Object.hasOwn(document, 'matches')) return fromGrype(document, origin, now);
  if (Object.hasOwn(document, 'SchemaVersion')) return fromTrivy(document, origin, now);
  throw invalid(origin, `expected a vulnerability report (${ACCEPTED}), found ${describe(document)}`, HINT);
}

// ---- in-toto vulns v0.2, as is ----

const INTOTO_HINT =
  'Follow https://github.com/in-toto/attestation/blob/main/spec/predicates/vulns_02.md, or give the raw SARIF/Grype/Trivy report instead';

function checkInToto(document: Record<string, unknown>, origin: string): Record<string, unknown> {
  const fail = (path: string, expected: string, found: unknown): never => {
    throw invalid(
      origin,
      `expected ${path} to be ${expected} (in-toto vulns predicate), found ${describe(found)}`,
      INTOTO_HINT,
    );
  };
  const scanner = own(document, 'scanner');
  if (!isObject(scanner)) return fail('scanner', 'an object', scanner);
  const uri = own(scanner, 'uri');
  if (typeof uri !== 'string' || uri === '') fail('scanner.uri', 'a non-empty string', uri);
  const result = own(scanner, 'result');
  if (!Array.isArray(result)) return fail('scanner.result', 'an array', result);
  for (let i = 0; i < result.length; i++) {
    const entry: unknown = result[i];
    if (!isObject(entry)) return fail(`scanner.result[${i}]`, 'an object', entry);
    const id = own(entry, 'id');
    if (typeof id !== 'string' || id === '') fail(`scanner.result[${i}].id`, 'a non-empty string', id);
    const severity = own(entry, 'severity');
    if (!Array.isArray(severity)) return fail(`scanner.result[${i}].severity`, 'an array', severity);
    for (let j = 0; j < severity.length; j++) {
      const s: unknown = severity[j];
      if (!isObject(s)) return fail(`scanner.result[${i}].severity[${j}]`, 'an object', s);
      for (const key of ['method', 'score']) {
        const value = own(s, key);
        if (typeof value !== 'string') fail(`scanner.result[${i}].severity[${j}].${key}`, 'a string', value);
      }
    }
  }
  const metadata = own(document, 'metadata');
  if (!isObject(metadata)) return fail('metadata', 'an object', metadata);
  for (const key of ['scanStartedOn', 'scanFinishedOn']) {
    const value = own(metadata, key);
    if (!isTimestamp(value)) fail(`metadata.${key}`, 'an RFC 3339 timestamp', value);
  }
  return document;
}

// ---- shared by the converters ----

/** Results by id, first appearance wins, in the order first seen. */
class Results {
  readonly #byId = new Map<string, VulnResult>();
  add(id: string, severity: Severity[]): void {
    if (!this.#byId.has(id)) this.#byId.set(id, { id, severity });
  }
  list(): VulnResult[] {
    return [...this.#byId.values()];
  }
}

function predicateOf(scanner: Scanner, results: Results, started: string, finished: string): Record<string, unknown> {
  return {
    scanner: { ...scanner, result: results.list() },
    metadata: { scanStartedOn: started, scanFinishedOn: finished },
  };
}

/** A score as the string the predicate wants; numbers are written in JSON's form. */
function score(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** An optional timestamp of the report, normalized to UTC; refuses one that is there but malformed. */
function optionalTime(value: unknown, path: string, origin: string, format: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (!isTimestamp(value)) {
    throw invalid(
      origin,
      `expected ${path} to be an RFC 3339 timestamp (${format}), found ${describe(value)}`,
      `Give the report exactly as ${format} wrote it`,
    );
  }
  return utc(value);
}

/**
 * `value` percent-encoded for a purl; refuses text with a lone UTF-16 surrogate (JSON's "\ud800"
 * escape makes one), which encodeURIComponent cannot encode and would throw a URIError on.
 */
function uriComponent(value: string, path: string, origin: string, format: string): string {
  if (/\p{Cs}/u.test(value)) {
    throw invalid(
      origin,
      `expected ${path} to be well-formed Unicode text (${format}), found ${describe(value)} with an unpaired surrogate`,
      `Give the report exactly as ${format} wrote it`,
    );
  }
  return encodeURIComponent(value);
}

function arrayAt(value: unknown, path: string, origin: string, format: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw invalid(
      origin,
      `expected ${path} to be an array (${format}), found ${describe(value)}`,
      `Give the report exactly as ${format} wrote it`,
    );
  return value;
}

function objectAt(value: unknown, path: string, origin: string, format: string): Record<string, unknown> {
  if (!isObject(value))
    throw invalid(
      origin,
      `expected ${path} to be an object (${format}), found ${describe(value)}`,
      `Give the report exactly as ${format} wrote it`,
    );
  return value;
}

// ---- SARIF 2.1.0 ----

const SARIF = 'SARIF 2.1.0';

function fromSarif(document: Record<string, unknown>, origin: string, now: Date): StagePredicate {
  const version = own(document, 'version');
  if (version !== '2.1.0') {
    throw invalid(
      origin,
      `expected a SARIF log with version "2.1.0", found version ${describe(version)}`,
      'Write the report as SARIF 2.1.0, the version scanners and GitHub code scanning use',
    );
  }
  const runs = own(document, 'runs');
  if (!Array.isArray(runs) || runs.length === 0) {
    throw invalid(
      origin,
      `expected runs to be a non-empty array (${SARIF}), found ${describe(runs)}`,
      'Give the SARIF log the scanner wrote, which has one run per tool invocation',
    );
  }
  const first = objectAt(runs[0], 'runs[0]', origin, SARIF);
  const tool = objectAt(own(first, 'tool'), 'runs[0].tool', origin, SARIF);
  const driver = objectAt(own(tool, 'driver'), 'runs[0].tool.driver', origin, SARIF);
  const name = ownString(driver, 'name');
  if (name === undefined || name === '') {
    throw invalid(
      origin,
      `expected runs[0].tool.driver.name to be a non-empty string (${SARIF}), found ${describe(own(driver, 'name'))}`,
      'Give the SARIF log the scanner wrote; it names the tool',
    );
  }
  const informationUri = ownString(driver, 'informationUri');
  const scanner: Scanner = {
    uri:
      informationUri !== undefined && informationUri !== ''
        ? informationUri
        : `pkg:generic/${uriComponent(name, 'runs[0].tool.driver.name', origin, SARIF)}`,
  };
  const toolVersion = ownString(driver, 'version') ?? ownString(driver, 'semanticVersion');
  if (toolVersion !== undefined && toolVersion !== '') scanner.version = toolVersion;

  const results = new Results();
  let unnamed = 0;
  for (let r = 0; r < runs.length; r++) {
    const run = objectAt(runs[r], `runs[${r}]`, origin, SARIF);
    const rules = RuleIndex.of(run);
    const runResults = arrayAt(own(run, 'results'), `runs[${r}].results`, origin, SARIF);
    for (let i = 0; i < runResults.length; i++) {
      const result = objectAt(runResults[i], `runs[${r}].results[${i}]`, origin, SARIF);
      const rule = rules.find(result);
      const ruleRef = ownObject(result, 'rule');
      const id =
        nonEmpty(ownString(result, 'ruleId')) ??
        (ruleRef && nonEmpty(ownString(ruleRef, 'id'))) ??
        (rule && nonEmpty(ownString(rule, 'id')));
      if (id === undefined) {
        unnamed++;
        continue;
      }
      results.add(id, sarifSeverity(result, rule));
    }
  }

  // A missing end is "now" (the scan is over by the time it is attested); a missing start is the end.
  const invocation = firstObject(own(first, 'invocations'));
  const start =
    invocation && optionalTime(own(invocation, 'startTimeUtc'), 'runs[0].invocations[0].startTimeUtc', origin, SARIF);
  const end =
    invocation && optionalTime(own(invocation, 'endTimeUtc'), 'runs[0].invocations[0].endTimeUtc', origin, SARIF);
  const finished = end ?? now.toISOString();
  const warnings =
    unnamed === 0
      ? []
      : [
          `${origin}: ${unnamed} SARIF result(s) name no rule, so they have no vulnerability id and are left out of the vulns predicate`,
        ];
  return { predicateType: VULNS_V02, predicate: predicateOf(scanner, results, start ?? finished, finished), warnings };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

function firstObject(value: unknown): Record<string, unknown> | undefined {
  return Array.isArray(value) && isObject(value[0]) ? value[0] : undefined;
}

/**
 * The reportingDescriptors (rules) of one run: the driver's, and its extensions' (CodeQL puts
 * query packs' rules there). A result names its rule by index, by id, or both.
 */
class RuleIndex {
  readonly #driver: unknown[];
  readonly #extensions: unknown[];
  readonly #byId = new Map<string, Record<string, unknown>>();

  private constructor(driver: unknown[], extensions: unknown[]) {
    this.#driver = driver;
    this.#extensions = extensions;
    const addAll = (rules: unknown[]): void => {
      for (const rule of rules) {
        const id = isObject(rule) ? ownString(rule, 'id') : undefined;
        if (isObject(rule) && id !== undefined && !this.#byId.has(id)) this.#byId.set(id, rule);
      }
    };
    addAll(driver);
    for (const extension of extensions) addAll(rulesOf(extension));
  }

  static of(run: Record<string, unknown>): RuleIndex {
    const tool = ownObject(run, 'tool');
    const driver = tool && ownObject(tool, 'driver');
    const extensions = tool && own(tool, 'extensions');
    return new RuleIndex(rulesOf(driver), Array.isArray(extensions) ? extensions : []);
  }

  find(result: Record<string, unknown>): Record<string, unknown> | undefined {
    const ref = ownObject(result, 'rule');
    const index = indexOf(ref && own(ref, 'index')) ?? indexOf(own(result, 'ruleIndex'));
    const component = ref && ownObject(ref, 'toolComponent');
    const componentIndex = indexOf(component && own(component, 'index'));
    const rules = componentIndex === undefined ? this.#driver : rulesOf(this.#extensions[componentIndex]);
    const byIndex = index === undefined ? undefined : rules[index];
    if (isObject(byIndex)) return byIndex;
    const id = ownString(result, 'ruleId') ?? (ref && ownString(ref, 'id'));
    return id === undefined ? undefined : this.#byId.get(id);
  }
}

function rulesOf(component: unknown): unknown[] {
  const rules = isObject(component) ? own(component, 'rules') : undefined;
  return Array.isArray(rules) ? rules : [];
}

function indexOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/**
 * GitHub's convention puts a CVSS-like score in the rule's properties["security-severity"]
 * (Trivy, Grype and CodeQL all write it); the result's level is SARIF's own. A result without a
 * level takes its rule's default, and SARIF's default of "warning" (or "none" for a result whose
 * kind is not "fail").
 */
function sarifSeverity(result: Record<string, unknown>, rule: Record<string, unknown> | undefined): Severity[] {
  const severity: Severity[] = [];
  const ruleProperties = rule && ownObject(rule, 'properties');
  const resultProperties = ownObject(result, 'properties');
  const cvss =
    score(ruleProperties && own(ruleProperties, 'security-severity')) ??
    score(resultProperties && own(resultProperties, 'security-severity'));
  if (cvss !== undefined) severity.push({ method: 'cvss_score', score: cvss });
  const defaults = rule && ownObject(rule, 'defaultConfiguration');
  const kind = ownString(result, 'kind');
  const level =
    nonEmpty(ownString(result, 'level')) ??
    (kind !== undefined && kind !== 'fail' ? 'none' : undefined) ??
    nonEmpty(defaults && ownString(defaults, 'level')) ??
    'warning';
  severity.push({ method: 'sarif_level', score: level });
  return severity;
}

// ---- Grype JSON ----

const GRYPE = 'Grype JSON';

function fromGrype(document: Record<string, unknown>, origin: string, now: Date): StagePredicate {
  const descriptor = ownObject(document, 'descriptor');
  const name = descriptor && own(descriptor, 'name');
  if (descriptor === undefined || name !== 'grype') {
    throw invalid(
      origin,
      `expected a Grype JSON report (matches with descriptor.name "grype"), found descriptor.name ${descriptor === undefined ? describe(own(document, 'descriptor')) : describe(name)}`,
      HINT,
    );
  }
  const version = nonEmpty(ownString(descriptor, 'version'));
  const scanner: Scanner = {
    uri:
      version === undefined
        ? 'pkg:github/anchore/grype'
        : `pkg:github/anchore/grype@${uriComponent(version, 'descriptor.version', origin, GRYPE)}`,
  };
  if (version !== undefined) scanner.version = version;
  const db = grypeDb(own(descriptor, 'db'), origin);
  if (db !== undefined) scanner.db = db;

  const results = new Results();
  const matches = arrayAt(own(document, 'matches'), 'matches', origin, GRYPE);
  for (let i = 0; i < matches.length; i++) {
    const match = objectAt(matches[i], `matches[${i}]`, origin, GRYPE);
    const vulnerability = objectAt(own(match, 'vulnerability'), `matches[${i}].vulnerability`, origin, GRYPE);
    const id = own(vulnerability, 'id');
    if (typeof id !== 'string' || id === '') {
      throw invalid(
        origin,
        `expected matches[${i}].vulnerability.id to be a non-empty string (${GRYPE}), found ${describe(id)}`,
        `Give the report exactly as grype wrote it`,
      );
    }
    results.add(id, grypeSeverity(vulnerability));
  }
  const time = optionalTime(own(descriptor, 'timestamp'), 'descriptor.timestamp', origin, GRYPE) ?? now.toISOString();
  return { predicateType: VULNS_V02, predicate: predicateOf(scanner, results, time, time), warnings: [] };
}

/**
 * Grype's descriptor.db has changed shape across versions: schema v5 wrote { built, schemaVersion
 * (a number), location (a local path), checksum }, schema v6 writes { status: { schemaVersion
 * ("v6.0.2"), from (the download URL), built, path, valid }, providers }. Read either; a local
 * path is not a URI of the database, so only `from` becomes db.uri. The predicate requires
 * lastUpdate in db, so without `built` there is no db.
 */
function grypeDb(value: unknown, origin: string): Scanner['db'] {
  if (!isObject(value)) return undefined;
  const status = ownObject(value, 'status') ?? value;
  const built = optionalTime(own(status, 'built'), 'descriptor.db.built', origin, GRYPE);
  if (built === undefined) return undefined;
  const from = ownString(status, 'from');
  const version = score(own(status, 'schemaVersion'));
  return {
    ...(from?.startsWith('https://') ? { uri: from } : {}),
    ...(version === undefined ? {} : { version }),
    lastUpdate: built,
  };
}

/** Grype's severity word, then each distinct CVSS base score as cvss_v<version>. */
function grypeSeverity(vulnerability: Record<string, unknown>): Severity[] {
  const severity: Severity[] = [];
  const word = nonEmpty(ownString(vulnerability, 'severity'));
  if (word !== undefined) severity.push({ method: 'grype', score: word });
  const cvss = own(vulnerability, 'cvss');
  if (!Array.isArray(cvss)) return severity;
  const seen = new Set<string>();
  for (const entry of cvss) {
    if (!isObject(entry)) continue;
    const metrics = ownObject(entry, 'metrics');
    const base = score(metrics && own(metrics, 'baseScore'));
    const version = nonEmpty(ownString(entry, 'version'));
    if (base === undefined) continue;
    const method = version === undefined ? 'cvss_score' : `cvss_v${version}`;
    const key = `${method}\u0000${base}`;
    if (seen.has(key)) continue;
    seen.add(key);
    severity.push({ method, score: base });
  }
  return severity;
}

// ---- Trivy JSON ----

const TRIVY = 'Trivy JSON';

function fromTrivy(document: Record<string, unknown>, origin: string, now: Date): StagePredicate {
  const schemaVersion = own(document, 'SchemaVersion');
  if (typeof schemaVersion !== 'number') {
    throw invalid(
      origin,
      `expected SchemaVersion to be a number (${TRIVY}), found ${describe(schemaVersion)}`,
      'Give the report exactly as `trivy -f json` wrote it',
    );
  }
  const scanner: Scanner = { uri: 'pkg:github/aquasecurity/trivy' };
  const trivy = ownObject(document, 'Trivy');
  const version = trivy && nonEmpty(ownString(trivy, 'Version'));
  if (version !== undefined) scanner.version = version;

  const results = new Results();
  const targets = arrayAt(own(document, 'Results'), 'Results', origin, TRIVY);
  for (let t = 0; t < targets.length; t++) {
    const target = objectAt(targets[t], `Results[${t}]`, origin, TRIVY);
    const vulnerabilities = arrayAt(own(target, 'Vulnerabilities'), `Results[${t}].Vulnerabilities`, origin, TRIVY);
    for (let i = 0; i < vulnerabilities.length; i++) {
      const vulnerability = objectAt(vulnerabilities[i], `Results[${t}].Vulnerabilities[${i}]`, origin, TRIVY);
      const id = own(vulnerability, 'VulnerabilityID');
      if (typeof id !== 'string' || id === '') {
        throw invalid(
          origin,
          `expected Results[${t}].Vulnerabilities[${i}].VulnerabilityID to be a non-empty string (${TRIVY}), found ${describe(id)}`,
          'Give the report exactly as `trivy -f json` wrote it',
        );
      }
      const word = nonEmpty(ownString(vulnerability, 'Severity'));
      results.add(id, word === undefined ? [] : [{ method: 'trivy', score: word }]);
    }
  }
  // Trivy records one time, when the report was made; the scan ran just before it.
  const time = optionalTime(own(document, 'CreatedAt'), 'CreatedAt', origin, TRIVY) ?? now.toISOString();
  return { predicateType: VULNS_V02, predicate: predicateOf(scanner, results, time, time), warnings: [] };
}
