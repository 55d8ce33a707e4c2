// The job summary after attesting: what was attested (subjects), by whom (the certificate's
// identity) and where it is anchored (log entry or timestamp). Pure rendering: Markdown for
// GITHUB_STEP_SUMMARY, plain text for the CLI. Linked attestations are read, not verified, and
// subject names may come from a downloaded checksums file: every value is shown through
// untrusted() (as a Markdown code span in the summary).

import path from 'node:path';
import { STAGE_NAMES, STAGE_PRESETS, type StageName } from '../stages/presets.ts';
import { isSourceVSA } from '../stages/source-vsa.ts';
import type { Subject } from '../subjects/index.ts';
import { shortSignerName } from '../output/signer-name.ts';
import { markdownCode, markdownText, untrusted } from '../output/untrusted.ts';

export interface AttestReport {
  predicateType: string;
  subjects: readonly Subject[];
  statementCount: number;
  bundleFile: string;
  signer: string | undefined;
  issuer: string | undefined;
  instance: string;
  logEntries: readonly { index: string; url: string | undefined }[];
  timestamps: readonly string[];
  /** The attestations this one links to (links input). */
  links?: readonly { statementDigest: string; predicateType: string; source: string }[];
  /** What the step warned about (e.g. an approval in a job without a deployment environment): shown in the summary too. */
  warnings?: readonly string[];
}

/** Where the summary is read, and what publishing made: the context the pure renderer cannot know. */
export interface SummaryPlaces {
  /** The workspace: a bundle inside it is named relative to it. */
  workspace?: string;
  /** The attestation pages GitHub made (the attestation-url output and the rest). */
  attestationUrls?: readonly string[];
  /** The workflow artifact the bundle was uploaded to (upload-artifact), as Markdown (artifact-link.ts). */
  uploadedTo?: string;
}

/** GitHub caps a step summary at 1 MiB; a release of thousands of files lists the first ones. */
export const SUMMARY_SUBJECT_ROWS = 100;
/** Linked attestations listed; the rest are counted. */
const SUMMARY_LINKS = 10;

const code = (s: string): string => markdownCode(s);

function digestText(subject: Subject): string {
  const [alg, hex] = Object.entries(subject.digest)[0] ?? ['', ''];
  return `${alg}:${hex}`;
}

/** What the title says was attested, by the stage whose predicate type it is. */
const STAGE_TITLES: Readonly<Record<StageName, string>> = {
  source: 'Source review attested',
  provenance: 'Provenance attested',
  sbom: 'SBOM attested',
  vulns: 'Vulnerability scan attested',
  vex: 'VEX attested',
  policy: 'Policy evaluation attested',
  approval: 'Approval attested',
  deployment: 'Deployment attested',
};

export function attestTitle(predicateType: string, subjects: readonly Subject[] = []): string {
  // A VSA about a commit is the source stage's; about artifacts, a policy evaluation's.
  if (isSourceVSA(predicateType, subjects)) return STAGE_TITLES.source;
  const stage = STAGE_NAMES.find(
    (name) => name !== 'source' && STAGE_PRESETS[name].predicateTypes.includes(predicateType),
  );
  return stage === undefined ? 'Attestation signed' : STAGE_TITLES[stage];
}

/** A page GitHub made for the attestation: linked only in the shape attestationUrl() builds. */
const ATTESTATION_PAGE =
  /^https:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?\/[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+\/attestations(?:\/\d+)?$/;

/**
 * The bundle file for a reader of the run page: relative to the workspace, or, outside it (the
 * runner's temp directory, gone when the job ends), by its file name and the output that holds it.
 */
export function bundlePlace(file: string, workspace: string | undefined): string {
  if (workspace !== undefined) {
    const rel = path.relative(workspace, file);
    if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) return code(rel.split(path.sep).join('/'));
  }
  if (!path.isAbsolute(file)) return code(file);
  return `${code(path.basename(file))} (in the runner's temp directory: the step's \`bundle-path\` output; upload it to keep it)`;
}

function signerText(signer: string | undefined): string {
  if (signer === undefined) return 'unknown';
  const short = shortSignerName(signer);
  return short === signer ? code(signer) : `${code(short)} (${code(signer)})`;
}

export function attestSummaryMarkdown(r: AttestReport, places: SummaryPlaces = {}): string {
  // Rekor's answer gives the index: only a decimal one is linked (the URL is the instance's search page for it).
  const anchors = [
    ...r.logEntries.map((e) =>
      e.url && /^\d+$/.test(e.index) ? `[log index ${e.index}](${e.url})` : `log index ${markdownText(e.index)}`,
    ),
    ...r.timestamps.map((t) => `RFC 3161 timestamp ${markdownText(t)}`),
  ];
  const pages = (places.attestationUrls ?? []).map((u) =>
    ATTESTATION_PAGE.test(u) ? `[${u.replace(/^https:\/\//, '')}](${u})` : code(u),
  );
  const links = r.links ?? [];
  const linkItems = links
    .slice(0, SUMMARY_LINKS)
    .map((l) => `${code(l.predicateType)} ${code(`sha256:${l.statementDigest.slice(0, 12)}…`)} (${code(l.source)})`);
  if (links.length > SUMMARY_LINKS) linkItems.push(`and ${links.length - SUMMARY_LINKS} more`);
  const lines = [
    `## ${attestTitle(r.predicateType, r.subjects)}`,
    '',
    ...(r.warnings ?? []).flatMap((w) => [`> [!WARNING]`, `> ${markdownText(w, 500)}`, '']),
    ...(pages.length > 0 ? [`- **Attestation:** ${pages.join(', ')}`] : []),
    `- **Predicate type:** ${code(r.predicateType)}`,
    `- **Subjects:** ${r.subjects.length} in ${r.statementCount} signed statement${r.statementCount === 1 ? '' : 's'}`,
    `- **Signer:** ${signerText(r.signer)}`,
    `- **OIDC issuer:** ${r.issuer ? code(r.issuer) : 'unknown'}`,
    `- **Sigstore instance:** ${markdownText(r.instance)}`,
    `- **Anchored by:** ${anchors.length > 0 ? anchors.join(', ') : 'none'}`,
    `- **Bundle:** ${bundlePlace(r.bundleFile, places.workspace)}${places.uploadedTo === undefined ? '' : `, uploaded as ${places.uploadedTo}`}`,
    ...(linkItems.length > 0 ? [`- **Builds on:** ${linkItems.join('; ')}`] : []),
    '',
    '| Subject | Digest |',
    '| --- | --- |',
    ...r.subjects.slice(0, SUMMARY_SUBJECT_ROWS).map((s) => `| ${code(s.name)} | ${code(digestText(s))} |`),
  ];
  const rest = r.subjects.length - SUMMARY_SUBJECT_ROWS;
  if (rest > 0) lines.push(`| … and ${rest} more | see the bundle |`);
  return `${lines.join('\n')}\n`;
}

export function attestSummaryText(r: AttestReport): string {
  const lines = [
    `attested ${r.subjects.length} subject${r.subjects.length === 1 ? '' : 's'} in ${r.statementCount} statement${r.statementCount === 1 ? '' : 's'} (${untrusted(r.predicateType)})`,
    `signer:  ${r.signer === undefined ? 'unknown' : untrusted(r.signer)}`,
    `issuer:  ${r.issuer === undefined ? 'unknown' : untrusted(r.issuer)}`,
    `sigstore: ${untrusted(r.instance)}`,
    ...r.logEntries.map((e) => `log entry: ${untrusted(e.index)}${e.url ? ` ${untrusted(e.url)}` : ''}`),
    ...r.timestamps.map((t) => `timestamp: ${untrusted(t)}`),
    `bundle:  ${untrusted(r.bundleFile)}`,
    ...(r.links ?? []).map(
      (l) => `links:   ${untrusted(l.predicateType)} sha256:${untrusted(l.statementDigest)} (${untrusted(l.source)})`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
